// Files imported as text (`with { type: 'text' }`), which scripts/build.mjs bundles as strings.
declare module 'uplot/dist/uPlot.iife.min.js' {
  const text: string;
  export default text;
}
declare module 'uplot/dist/uPlot.min.css' {
  const text: string;
  export default text;
}
declare module '*.page.js' {
  const text: string;
  export default text;
}
