import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { signedIn, startTeamServer, tokenFor, type TeamMember } from '../fixtures/team.js';

// Three people on one team-mode server (`runstudio serve --auth`), each in a browser context
// of their own, signed in through the sign-in page.
const alice: TeamMember = { name: 'alice', role: 'contributor', password: 'alice-password-1' };
const bob: TeamMember = { name: 'bob', role: 'contributor', password: 'bob-password-22' };
const carol: TeamMember = { name: 'carol', role: 'reader', password: 'carol-password-333' };
const readerReason = 'Readers may look but not change runs or shared views: ask an admin for the contributor role.';

let team: Awaited<ReturnType<typeof startTeamServer>>;
let asBob: APIRequestContext;

test.beforeAll(async () => {
  team = await startTeamServer([alice, bob, carol, { name: 'root', role: 'admin', password: 'root-password-4444' }]);
  asBob = await playwrightRequest.newContext({ baseURL: team.url, extraHTTPHeaders: { authorization: `Bearer ${await tokenFor(team.dataDir, 'bob')}` } });
});

test.afterAll(async () => {
  await asBob?.dispose();
  await team?.stop();
});

async function mlflow<T = Record<string, any>>(path: string, body: unknown): Promise<T> {
  const response = await asBob.post(`/api/2.0/mlflow/${path}`, { data: body });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

async function seedRun(experimentId: string, name: string, tags: Record<string, string> = {}): Promise<string> {
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>('runs/create', { experiment_id: experimentId, run_name: name, user_id: 'not-bob', start_time: Date.now() });
  await mlflow('runs/log-batch', { run_id: run.info.run_id, metrics: [{ key: 'loss', value: 0.5, timestamp: Date.now(), step: 0 }], params: [{ key: 'lr', value: '0.1' }], tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });
  return run.info.run_id;
}

async function openPicker(page: Page) {
  await page.getByRole('button', { name: /^View: / }).click();
}

test('a view shared by one user: a contributor edits it, a reader may not, and a private link is not found', async ({ browser }) => {
  const { experiment_id: experimentId } = await mlflow<{ experiment_id: string }>('experiments/create', { name: `team-views-${Date.now()}` });
  await seedRun(experimentId, 'vision-a', { team: 'vision' });
  await seedRun(experimentId, 'audio-b', { team: 'audio' });
  const a = await signedIn(browser, team.url, alice);
  const b = await signedIn(browser, team.url, bob);
  const c = await signedIn(browser, team.url, carol);

  // Alice saves a search as a shared view, and one only for herself.
  await a.page.goto(`/experiments/${experimentId}`);
  await a.page.getByRole('searchbox', { name: 'Search runs' }).fill('vision');
  await expect(a.page.getByText('1 match')).toBeVisible();
  await a.page.getByRole('button', { name: 'Save view' }).click();
  const save = a.page.getByRole('dialog', { name: 'Save view' });
  await save.getByLabel('View name').fill('Vision board');
  await save.getByRole('radio', { name: /Everyone in the workspace/ }).check();
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(a.page.getByRole('button', { name: 'View: Vision board' })).toBeVisible();
  await a.page.getByRole('button', { name: 'Share view' }).click();
  const sharedLink = await a.page.getByRole('textbox', { name: 'Share link' }).inputValue();
  await a.page.getByRole('button', { name: 'Done' }).click();
  await a.page.getByRole('button', { name: 'Save as' }).click();
  const saveAs = a.page.getByRole('dialog', { name: 'Save as a new view' });
  await saveAs.getByLabel('View name').fill('Alice only');
  await saveAs.getByRole('radio', { name: /Only me/ }).check();
  await saveAs.getByRole('button', { name: 'Save as new view' }).click();
  await expect(a.page.getByRole('button', { name: 'View: Alice only' })).toBeVisible();
  const at = new URL(a.page.url());
  expect(at.searchParams.get('view')).toBeTruthy();
  const privateLink = `${at.origin}${at.pathname}?view=${at.searchParams.get('view')}`;

  // Bob, a contributor, opens the shared link and updates the view.
  await b.page.goto(sharedLink);
  await expect(b.page.getByRole('button', { name: 'View: Vision board' })).toBeVisible();
  await b.page.getByRole('searchbox', { name: 'Search runs' }).fill('audio');
  await expect(b.page.getByText('Unsaved changes')).toBeVisible();
  await b.page.getByRole('button', { name: 'Update' }).click();
  await expect(b.page.getByText('Unsaved changes')).toHaveCount(0);

  // Carol, a reader, sees it as Bob left it, and may not change it: the controls say why.
  await c.page.goto(sharedLink);
  await expect(c.page.getByRole('button', { name: 'View: Vision board' })).toBeVisible();
  await expect(c.page.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('audio');
  await c.page.getByRole('searchbox', { name: 'Search runs' }).fill('vision');
  const update = c.page.getByRole('button', { name: 'Update' });
  await expect(update).toBeDisabled();
  await expect(update).toHaveAccessibleDescription(/contributor role/);
  await expect(c.page.getByRole('button', { name: 'Rename' })).toBeDisabled();
  await expect(c.page.getByRole('button', { name: 'Delete' })).toHaveAccessibleDescription(/contributor role/);
  await update.click({ force: true });
  await expect(c.page.getByText('Unsaved changes')).toBeVisible();
  // ...but may keep her version as a view of her own.
  await c.page.getByRole('button', { name: 'Save as' }).click();
  const carolSave = c.page.getByRole('dialog', { name: 'Save as a new view' });
  await carolSave.getByLabel('View name').fill('Carol copy');
  await carolSave.getByRole('button', { name: 'Save as new view' }).click();
  await expect(c.page.getByRole('button', { name: 'View: Carol copy' })).toBeVisible();

  // The shared view still holds Bob's search for Alice.
  await a.page.goto(sharedLink);
  await expect(a.page.getByRole('searchbox', { name: 'Search runs' })).toHaveValue('audio');

  // Alice's private view: "not found" for Bob, and missing from his picker.
  await b.page.goto(privateLink);
  await expect(b.page.getByRole('alert')).toContainText('not found');
  await openPicker(b.page);
  await expect(b.page.getByRole('group', { name: 'Shared views' }).getByRole('menuitem', { name: /Vision board/ })).toBeVisible();
  await expect(b.page.getByRole('menuitem', { name: /Alice only/ })).toHaveCount(0);
  await expect(b.page.getByRole('menuitem', { name: /Carol copy/ })).toHaveCount(0);
  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

test('a reader sees Cancel and Mark as failed disabled, with the reason', async ({ browser }) => {
  const { experiment_id: experimentId } = await mlflow<{ experiment_id: string }>('experiments/create', { name: `team-cancel-${Date.now()}` });
  const runId = await seedRun(experimentId, 'long-training');
  const c = await signedIn(browser, team.url, carol);
  await c.page.goto(`/runs/${runId}`);
  await expect(c.page.getByText('Running', { exact: true })).toBeVisible();
  await expect(c.page.getByText('bob', { exact: true })).toBeVisible(); // the submitter is the token's user
  const cancel = c.page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeDisabled();
  await expect(cancel).toHaveAccessibleDescription(readerReason);
  await expect(c.page.getByRole('button', { name: 'Mark as failed' })).toHaveAccessibleDescription(readerReason);
  await expect(c.page.getByRole('button', { name: 'Edit display name' })).toHaveAccessibleDescription(readerReason);
  await cancel.click({ force: true });
  await expect(c.page.getByRole('alertdialog')).toHaveCount(0);

  // A contributor cancels it; the reader's page shows it Canceled, and the activity says who.
  const b = await signedIn(browser, team.url, bob);
  await b.page.goto(`/runs/${runId}`);
  await b.page.getByRole('button', { name: 'Cancel' }).click();
  await b.page.getByRole('alertdialog', { name: 'Cancel this run?' }).getByRole('button', { name: 'Cancel run' }).click();
  await expect(c.page.getByText('Canceled', { exact: true }).first()).toBeVisible();
  await expect(c.page.getByRole('region', { name: 'Activity' })).toContainText('bob cancelled it');
  await Promise.all([b.context.close(), c.context.close()]);
});

test("script set by one user in a run's name, description, tag, log and artifact name runs nothing in another's browser", async ({ browser }) => {
  const hostile = (n: number) => `<img src=x onerror="window.__xss=${n};alert(${n})">`;
  const { experiment_id: experimentId } = await mlflow<{ experiment_id: string }>('experiments/create', { name: `team-xss-${Date.now()}` });
  const runId = await seedRun(experimentId, `run ${hostile(1)}`, { quality: hostile(2), 'mlflow.note.content': `# Notes\n\n${hostile(3)}\n\n<script>window.__xss=4</script>\n\n[go](javascript:window.__xss=5)` });
  const appended = await asBob.post(`/api/studio/runs/${runId}/logs/std_log.txt?offset=0`, { data: Buffer.from(`epoch 1 ${hostile(6)}\n\u001b[31m<script>window.__xss=7</script>\u001b[0m\n`), headers: { 'content-type': 'application/octet-stream' } });
  expect(appended.ok(), await appended.text()).toBe(true);
  const artifactName = `${encodeURIComponent('<svg onload=window.__xss=8>')}.html`;
  const uploaded = await asBob.put(`/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${artifactName}`, { data: Buffer.from('<script>window.__xss=9</script>') });
  expect(uploaded.ok(), await uploaded.text()).toBe(true);

  const c = await signedIn(browser, team.url, carol);
  const dialogs: string[] = [];
  c.page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await c.page.goto(`/experiments/${experimentId}`);
  await expect(c.page.getByRole('link', { name: `run ${hostile(1)}` })).toBeVisible();
  await c.page.goto(`/runs/${runId}`);
  await expect(c.page.getByRole('heading', { name: 'Notes' })).toBeVisible();
  await expect(c.page.getByText(`quality: ${hostile(2)}`)).toBeVisible();
  await c.page.getByRole('tab', { name: 'Outputs + logs' }).click();
  const tree = c.page.getByRole('navigation', { name: 'Outputs and logs' });
  await expect(tree.getByRole('button', { name: '<svg onload=window.__xss=8>.html' })).toBeVisible();
  await tree.getByRole('button', { name: '<svg onload=window.__xss=8>.html' }).click();
  await tree.getByRole('button', { name: 'std_log.txt' }).click();
  await expect(c.page.getByRole('region', { name: 'Log std_log.txt' })).toContainText(`epoch 1 ${hostile(6)}`);
  await expect(c.page.getByRole('region', { name: 'Log std_log.txt' })).toContainText('<script>window.__xss=7</script>');
  await expect(c.page.locator('img[src="x"], svg[onload]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  expect(await c.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await c.context.close();
});

test('without signing in, pages ask for it and the API answers 401', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: team.url });
  const page = await context.newPage();
  await page.goto('/experiments');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fexperiments/);
  await page.getByLabel('User name').fill('carol');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong user name or password');
  const api = await context.request.get('/api/studio/experiments');
  expect(api.status()).toBe(401);
  await page.getByLabel('Password').fill(carol.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/experiments$/);
  await page.getByRole('button', { name: 'Account: carol' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect((await context.request.get('/api/studio/experiments')).status()).toBe(401);
  await context.close();
});
