// A console page opened without its token (a reload after the console removed it
// from the address bar): if this tab knows the token, open the page with it once;
// the console removes it from the address bar again.
"use strict";
(() => {
  const match = window.location.pathname.match(/^\/exercises\/([^/]+)(?:\/replay)?$/);
  if (!match) return;
  let token = null;
  try { token = sessionStorage.getItem(`tabletop-token:${decodeURIComponent(match[1])}`); } catch (e) { return; }
  if (!token) return;
  const url = new URL(window.location.href);
  url.searchParams.set("token", token);
  window.location.replace(url.href);
})();
