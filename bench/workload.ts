/** The budget workload of DESIGN.md: per run 5 params, 5 tags, 3 metrics × `steps` steps. */
export function runBatch(i: number, steps: number) {
  const metrics = [];
  for (const key of ['loss', 'accuracy', 'lr']) {
    for (let step = 0; step < steps; step += 1) {
      metrics.push({ key, value: key === 'loss' ? ((i % 997) + 1) / (step + 1) : (step + (i % 13)) / (steps + 13), timestamp: 1_700_000_000_000 + step, step });
    }
  }
  return {
    params: [
      { key: 'lr', value: String([0.1, 0.01, 0.001, 0.0001, 0.03][i % 5]) },
      { key: 'batch_size', value: String(16 << (i % 4)) },
      { key: 'optimizer', value: ['adam', 'sgd', 'adamw'][i % 3]! },
      { key: 'layers', value: String(2 + (i % 10)) },
      { key: 'seed', value: String(i) },
    ],
    tags: [
      { key: 'team', value: ['vision', 'nlp', 'speech', 'ranking'][i % 4]! },
      { key: 'quality', value: i % 10 === 0 ? 'great result' : 'ordinary' },
      { key: 'dataset', value: `ds-${i % 50}` },
      { key: 'mlflow.note.content', value: `Run ${i}: ${['baseline', 'ablation', 'sweep', 'finetune'][i % 4]} of the ${['resnet', 'vit', 'bert'][i % 3]} model` },
      { key: 'runstudio.compute', value: `gpu-${i % 8}` },
    ],
    metrics,
  };
}
