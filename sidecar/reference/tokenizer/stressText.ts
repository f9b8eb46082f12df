// Text that reaches every rule of a byte-level BPE with GPT-2's pattern: whitespace runs before
// words and at the end, tabs and newlines, digits with separators, contractions in lower and upper
// case ('S and 'T are not contractions to GPT-2), accents precomposed and combining, CJK, Hangul,
// emoji with skin tones, ZWJ and flags, lone surrogates (TextEncoder writes U+FFFD), other
// spaces (NBSP, NEL, ideographic, BOM), symbols and long runs.

export const STRESS_TEXT = [
  'Call me Ishmael.  Some years ago—never mind how long precisely—having little or no money in my purse,',
  "I'm sure you're right: we'll see. They've said it's done, he'd go. I'M SURE YOU'RE RIGHT: WE'LL SEE. THEY'VE SAID IT'S DONE, HE'D GO.",
  "don't DON'T Don'T can't CAN'T o'clock rock'n'roll 'tis ''quoted'' 's 'S 'll 'LL",
  'spaces:   three then\ttab\t\tthen two tabs\n\nnewlines\r\nCRLF   \n   \n trailing spaces     ',
  '    leading run', ' \t \n mixed whitespace runs \u00a0nbsp\u00a0 \u3000ideographic\u3000 \u0085nel\u0085 \ufeffbom\ufeff',
  'digits 0 7 42 1999 2024-11-24 3.14159 1,000,000.50 +1-555-0100 0x1F 1e-9 ¹²³ ½ ٣٤٥ ४२',
  'accents: café naïve résumé Ångström señor façade crème brûlée Dvořák Łódź Straße',
  'combining: cafe\u0301 nai\u0308ve A\u030A e\u0301\u0301\u0301 Z\u0335\u0321\u0350a\u0337\u031bl\u0336g\u0334o\u0335',
  '中文分词没有空格，日本語のテキスト、한국어 텍스트도 있습니다. 漢字かな混じり文',
  'emoji: 😀 👍🏽 👩‍👩‍👧‍👦 🏳️‍🌈 🇺🇸🇫🇷 ❤️ 🤖🤖🤖 🧑🏿‍🚀 ☕',
  'lone surrogates: \ud800 x\udc00y \udbff\udfff ok \ud83d end\ud83d',
  'symbols: <|endoftext|> [CLS] [SEP] {"key": [1, 2]} a+b=c; x->y => z --- ... !!! ??? ~~~ @#$%^&*()_+ `code` \\path\\',
  '=====' + '='.repeat(60) + ' ' + '-'.repeat(45) + ' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ' + '9'.repeat(40),
  'mixedCASE camelCase snake_case kebab-case HTTPServer iPhone x86_64 UTF-8 e.g. i.e. U.S.A.',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f\u0080\u009f end',
].join('\n');
