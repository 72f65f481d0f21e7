/** Tiny DOM helpers: create elements with attributes and children, no framework. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: ReadonlyArray<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A labelled form field wrapping `control`. */
export function field(label: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', {}, label), control);
}

/** A `<select>` with `[value, text]` options. */
export function select(
  id: string,
  options: ReadonlyArray<readonly [string, string]>,
  value: string,
): HTMLSelectElement {
  const element = el('select', { id, name: id });
  for (const [optionValue, text] of options) {
    const option = el('option', { value: optionValue }, text);
    if (optionValue === value) option.selected = true;
    element.append(option);
  }
  return element;
}

/** A numeric `<input>`. */
export function numberInput(id: string, value: number, step = 'any', min?: number): HTMLInputElement {
  const attributes: Record<string, string> = { id, name: id, type: 'number', step, value: String(value) };
  if (min !== undefined) attributes['min'] = String(min);
  return el('input', attributes);
}

/** Formats a number compactly for tables and status lines. */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e4 || magnitude < 1e-3 ? value.toExponential(digits - 1) : value.toPrecision(digits);
}

/** Offers `text` as a file download named `filename`. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
