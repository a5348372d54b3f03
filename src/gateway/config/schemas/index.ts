// The entity schemas live in src/shared (the extension and the views validate with them too);
// this module adds what needs Node: `root_path` checked and normalised with `node:path`. The
// explicit exports below take precedence over the star re-export.
export * from '../../../shared/schemas/index.js';
export { normaliseRoot, rootPathSchema, workspaceCreateSchema, workspaceSchema, workspaceUpdateSchema } from './root-path.js';
export * from './state.js';
