/**
 * The stem that groups the containers of one image, taken from the name (stats files carry no
 * labels): the name without run-image's replica number (`ann_web_3`, compose's `proj-web-3`) or its
 * date suffix (`ann_web_24-01-02_03.04.05`). Containers named otherwise are a group of their own.
 */
export function nameStem(name: string): string {
  const stem = name.replace(/_\d\d-\d\d-\d\d_\d\d\.\d\d\.\d\d$/, '').replace(/[_-]\d+$/, '');
  return stem === '' ? name : stem;
}

/** How the page explains its grouping. */
export const groupingRule =
  'Containers are grouped by name: those whose names differ only by a trailing replica number (_1, _2, -1) or run-image date (_24-01-02_03.04.05) share charts, which is how run-image and compose name the containers of one image.';

/** Compares labels as people read them: `web_2` before `web_10`. */
export function compareLabels(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
