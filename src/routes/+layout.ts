// A static single-page app: every page renders in the browser (adapter-static fallback).
export const ssr = false;
export const prerender = false;
