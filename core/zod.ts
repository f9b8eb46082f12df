// English messages for zod/mini, which carries no locale unless one is configured. The schemas use
// zod/mini because the full zod API was most of the extension bundle (454 KB of 609 KB minified,
// issue 18). They import it as `import * as z from 'zod/mini'` (not `{ z }`, and not re-exported
// from here): only a namespace import lets the bundler drop the parts and locales not used.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
