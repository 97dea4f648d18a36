export { ensurePreviewBuilt, type PreviewBuildState } from './ensure-built';
export { buildPreview, listBundles } from './build';
export { defaultPreviewPaths, type PreviewPaths } from './paths';
export { createPreviewRouter, PREVIEW_PATH, type PreviewRouterDeps } from './router';
export {
  passwordLogin,
  previewViewers,
  viewerKey,
  type PreviewViewer,
  type ViewerLogin,
} from './viewer-login';
