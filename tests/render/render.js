#!/usr/bin/env node
// render.js STYLE FILE...  ->  "file<TAB>index<TAB>rendered entry" per item,
// in each file's order. FILE holds CSL-JSON (an array) or JSON Lines. Each
// item is rendered alone with citeproc-js in STYLE (apa, vancouver,
// harvard1: the styles @citation-js/plugin-csl ships), so the output of one
// item never depends on another. One process renders every file: starting
// node and loading a style costs far more than an entry.
'use strict';
const fs = require('fs');
const CSL = require('citeproc');
const styles = require('@citation-js/plugin-csl/lib/styles.json');
const locales = require('@citation-js/plugin-csl/lib/locales.json');

const [styleName, ...files] = process.argv.slice(2);
if (!styles[styleName] || !files.length) {
  console.error(`usage: render.js ${Object.keys(styles).join('|')} FILE...`);
  process.exit(2);
}
let current = null;
const sys = {
  retrieveLocale: (l) => locales[l] || locales['en-US'],
  retrieveItem: () => current,
};
const fresh = () => {
  const e = new CSL.Engine(sys, styles[styleName], 'en-US', true);
  e.setOutputFormat('text');
  return e;
};
let engine = fresh();
const out = [];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  let items;
  try {
    items = JSON.parse(text);
  } catch (e) {
    items = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
  if (!Array.isArray(items)) items = [items];
  items.forEach((item, i) => {
    let r;
    try {
      // the engine caches items by id: a constant id and a fresh copy per item
      current = Object.assign({}, item, { id: 'x' });
      engine.updateItems([]);
      engine.updateItems(['x']);
      const bib = engine.makeBibliography();
      r = bib && bib[1] && bib[1].length ? bib[1].join('').replace(/\s+/g, ' ').trim() : '!! empty bibliography entry';
    } catch (e) {
      r = '!! ' + String((e && e.message) || e).split('\n')[0];
      engine = fresh();
    }
    out.push(`${file}\t${i}\t${r}`);
  });
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
