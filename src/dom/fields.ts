/**
 * `data-journey-fields`: the form fields a submitted form sends as props (README, "Quickstart: theme authors").
 * A comma list of field names, each optionally renamed: `q:search_term,score`.
 */

// Never read, whatever the list says: secrets and personal data, by the field's type or its `autocomplete`
// (`cc-number`, `email`, `tel-national`, `new-password`, `one-time-code`).
const PRIVATE = /password|email|tel|hidden|file|cc-|one-time/;

/**
 * Calls `put` with each listed field's value: that of its first control the form would submit (a checked radio,
 * the chosen option, the button that submitted it), if not empty. A name any private control has is skipped.
 * Not a form: nothing.
 */
export const readFields = (
  form: Element,
  list: string,
  put: (key: string, v: string) => void,
  submitter?: Element | null,
): void => {
  for (const f of list.split(',')) {
    const [name, key] = f.trim().split(':');
    let v: string | undefined;
    for (const c of Array.from((form as HTMLFormElement).elements || []) as HTMLInputElement[]) {
      const t = c.type;
      if (c.name == name) {
        if (PRIVATE.test(t + c.getAttribute('autocomplete'))) {
          v = '';
          break;
        }
        // Radios and checkboxes count when checked, buttons when they submitted the form.
        if (!v && !c.disabled && (/radio|checkbox/.test(t) ? c.checked : !/submit|image|reset|button/.test(t) || c == submitter))
          v = c.value;
      }
    }
    if (v) put(key || name, v);
  }
};
