// Stylesheets are bundled by esbuild beside the view's script (dist/webview/<view>.css).
declare module '*.css';
