// "transformer-labs/checks": what a lab outside the extension (transformerLabs.labPaths,
// `--labs`) imports in its checks.ts and visualize.ts. The built-in labs import the same
// modules by relative path; this is the one stable name for everyone else (docs/authoring.md).
export { CheckFailure } from './checkApi';
export type { CheckContext, CheckFn, FnOptions, LabModule, LabView, ReferenceContext, TaskFn, TaskHooks, Tf, VisualizeFn } from './checkApi';
export * from './expect';
