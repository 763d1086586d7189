/** Styles of the demo page: plain, readable, no framework. */
export const DEMO_PAGE_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
body { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin-bottom: 0.2rem; }
.hint { color: #6a7385; margin-top: 0; }
form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: 0.85rem; gap: 0.2rem; }
input { padding: 0.35rem 0.5rem; border: 1px solid #b8bfcc; border-radius: 4px; }
button { padding: 0.35rem 0.8rem; border: 1px solid #3557c9; border-radius: 4px; background: #fff; color: #3557c9; cursor: pointer; }
button[type="submit"] { background: #3557c9; color: #fff; }
button:disabled { opacity: 0.5; cursor: default; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1.5rem; }
ul { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
li { background: #fff; border: 1px solid #dde1e8; border-left: 4px solid #3557c9; border-radius: 4px; padding: 0.6rem 0.8rem; }
li[data-read="true"] { border-left-color: #dde1e8; color: #6a7385; }
li p { margin: 0.1rem 0 0.4rem; }
.meta { font-size: 0.8rem; color: #6a7385; }
.recovered { font-size: 0.75rem; background: #fff4d6; border-radius: 3px; padding: 0 0.3rem; margin-left: 0.4rem; }
.badge { display: inline-block; min-width: 1.4rem; padding: 0 0.4rem; border-radius: 0.7rem; background: #c93535; color: #fff; font-size: 0.85rem; text-align: center; }
.badge[data-count="0"] { background: #b8bfcc; }
.error { color: #c93535; }
.error:empty, [role="status"]:empty { display: none; }
`;
