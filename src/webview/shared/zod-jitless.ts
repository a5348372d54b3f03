import { z } from 'zod';

// zod compiles object parsers with `new Function` unless told not to; the views' CSP allows no
// eval (script-src has only the nonce), and even zod's probe for it is reported as a violation.
// Imported first by every view, before any schema parses.
z.config({ jitless: true });
