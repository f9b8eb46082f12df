// The only module that touches @vscode/webview-ui-toolkit. The toolkit is deprecated
// upstream; replacing it means changing this file (registration, tag names, value access)
// and nothing else in webviews/.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the custom elements the panels use; safe to call more than once. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTextField(),
  );
}

export const tags = {
  button: 'vscode-button',
  checkbox: 'vscode-checkbox',
  dropdown: 'vscode-dropdown',
  option: 'vscode-option',
  progressRing: 'vscode-progress-ring',
  radio: 'vscode-radio',
  radioGroup: 'vscode-radio-group',
  textField: 'vscode-text-field',
} as const;

type Valued = { value: string };

/** The current value of a toolkit input (text field, dropdown, radio group). */
export function valueOf(el: Element): string {
  return (el as unknown as Partial<Valued>).value ?? '';
}

/** Sets a toolkit input's value; only when it differs, because some elements emit change when set. */
export function setValue(el: Element, value: string): void {
  if ((el as unknown as Valued).value !== value) (el as unknown as Valued).value = value;
}

export function setDisabled(el: Element, disabled: boolean): void {
  el.toggleAttribute('disabled', disabled);
}
