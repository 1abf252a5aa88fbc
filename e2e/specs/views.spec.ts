import { expect, test, type Page } from '@playwright/test';
import { addChart, chart } from '../fixtures/charts.js';
import { runNames, runTable } from '../fixtures/explorer.js';
import { seedSweep } from '../fixtures/sweep.js';

async function openPicker(page: Page) {
  await page.getByRole('button', { name: /^View: / }).click();
}

async function expectSweepView(page: Page) {
  await expect(page.getByText('team is vision')).toBeVisible();
  await expect(runTable(page).getByRole('columnheader', { name: /lr/ })).toBeVisible();
  await expect(runTable(page).getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => runNames(page)).toEqual(['sweep-b', 'sweep-a']);
  await expect(chart(page, 'loss over step')).toBeVisible();
  await expect(chart(page, 'acc against lr')).toBeVisible();
}

test('a saved view: saved, shared, opened elsewhere, updated from there, a stale save refused, deleted', async ({ page, request, browser }) => {
  const { experimentId } = await seedSweep(request);
  await page.goto(`/experiments/${experimentId}`);

  // A filter, a sort, an extra column and two charts.
  await page.getByRole('button', { name: 'Add filter' }).click();
  const form = page.getByRole('dialog', { name: 'Add filter' });
  await form.getByLabel('Key').fill('team');
  await form.getByLabel('Value').fill('vision');
  await form.getByRole('button', { name: 'Apply filter' }).click();
  await runTable(page).getByRole('button', { name: 'Name' }).click();
  await runTable(page).getByRole('button', { name: 'Name' }).click();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'lr (property)' }).check();
  await page.keyboard.press('Escape');
  await addChart(page, 'Line', { Metric: 'loss' });
  await addChart(page, 'Scatter', { 'X axis': 'lr (property)', 'Y axis': 'acc (metric)' });
  await expectSweepView(page);

  await page.getByRole('button', { name: 'Save view' }).click();
  const save = page.getByRole('dialog', { name: 'Save view' });
  await save.getByLabel('View name').fill('Monday sweep');
  await save.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByRole('button', { name: 'View: Monday sweep' })).toBeVisible();
  await expect(page).toHaveURL(/view=/);
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);

  await page.getByRole('button', { name: 'Share view' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  expect(link).toMatch(new RegExp(`/experiments/${experimentId}\\?view=[\\w-]+$`));
  await page.getByRole('button', { name: 'Done' }).click();

  // A colleague (another browser, another identity) opens the bare link.
  const other = await browser.newContext();
  const colleague = await other.newPage();
  await colleague.goto(link);
  await expect(colleague.getByRole('button', { name: 'View: Monday sweep' })).toBeVisible();
  await expectSweepView(colleague);

  // ...and updates the shared view: sort ascending now.
  await runTable(colleague).getByRole('button', { name: 'Name' }).click();
  await expect(colleague.getByText('Unsaved changes')).toBeVisible();
  await colleague.getByRole('button', { name: 'Update' }).click();
  await expect(colleague.getByText('Unsaved changes')).toHaveCount(0);

  // The first user, still on the old version, changes something and saves: 409.
  await page.getByRole('button', { name: 'Remove filter team is vision' }).click();
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Update' }).click();
  const conflict = page.getByRole('alertdialog', { name: 'This view changed since you opened it' });
  await expect(conflict).toContainText('Reload it, or save yours as a new view');
  await conflict.getByRole('button', { name: 'Reload view' }).click();
  await expect(page.getByText('team is vision')).toBeVisible();
  await expect.poll(() => runNames(page)).toEqual(['sweep-a', 'sweep-b']);
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);

  // Leaving with unsaved changes asks first.
  await runTable(page).getByRole('button', { name: 'Name' }).click();
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await page.getByRole('link', { name: 'Experiments' }).click();
  const leave = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  await leave.getByRole('button', { name: 'Stay' }).click();
  await expect(page.getByRole('button', { name: 'View: Monday sweep' })).toBeVisible();

  // Deleting it: gone from the picker, and the colleague's link no longer opens.
  await page.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete view “Monday sweep”?' });
  await confirm.getByRole('button', { name: 'Delete view' }).click();
  await expect(page.getByRole('button', { name: 'View: All runs of this experiment' })).toBeVisible();
  await expect(page).not.toHaveURL(/view=/);
  await openPicker(page);
  await expect(page.getByRole('menuitem', { name: /Monday sweep/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await colleague.goto(link);
  await expect(colleague.getByRole('alert')).toContainText('This view cannot be opened');
  await other.close();
});

// That a private view stays private to its owner is a team-mode journey: teams.spec.ts.
test('Save as keeps both views, one private and one shared', async ({ page, request }) => {
  const { experimentId } = await seedSweep(request);
  await page.goto(`/experiments/${experimentId}`);
  await page.getByRole('searchbox', { name: 'Search runs' }).fill('sweep');
  await expect(page.getByText('4 matches')).toBeVisible();
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByLabel('View name').fill('Only mine');
  await page.getByRole('dialog', { name: 'Save view' }).getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByRole('button', { name: 'View: Only mine' })).toBeVisible();
  const url = page.url();

  await page.getByRole('button', { name: 'Save as' }).click();
  const saveAs = page.getByRole('dialog', { name: 'Save as a new view' });
  await expect(saveAs.getByLabel('View name')).toHaveValue('Only mine (copy)');
  await saveAs.getByRole('radio', { name: /Everyone in the workspace/ }).check();
  await saveAs.getByRole('button', { name: 'Save as new view' }).click();
  await expect(page.getByRole('button', { name: 'View: Only mine (copy)' })).toBeVisible();
  await openPicker(page);
  await expect(page.getByRole('menuitem', { name: /Only mine private/ })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /Only mine \(copy\) shared/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.goto(url);
  await expect(page.getByRole('button', { name: 'View: Only mine' })).toBeVisible();
});
