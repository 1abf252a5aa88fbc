/**
 * The size every element reports in the web tests (jsdom computes no layout). 600 px high:
 * a virtualised list shows about a screenful of rows. A test that needs every row of a long
 * list on screen makes the viewport taller; the setup puts it back after each test.
 */
export const layout = { width: 1200, height: 600 };

export function resetLayout(): void {
  layout.width = 1200;
  layout.height = 600;
}

/** Makes every box `height` px high for the rest of the test. */
export function setViewportHeight(height: number): void {
  layout.height = height;
}
