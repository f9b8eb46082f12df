// The only module that touches @vscode/webview-ui-toolkit. The toolkit is deprecated
// upstream; swapping it means changing this file and the tag names in `tags` below.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
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
  dropdown: 'vscode-dropdown',
  option: 'vscode-option',
  progressRing: 'vscode-progress-ring',
  radio: 'vscode-radio',
  radioGroup: 'vscode-radio-group',
  textField: 'vscode-text-field',
} as const;

/** The current value of a toolkit input (text field, dropdown, radio group). */
export function valueOf(el: Element | null): string {
  return (el as unknown as { value?: string } | null)?.value ?? '';
}
