// Site search with Pagefind's JavaScript API, offline from the site's own files.
//
// The search bundle lives in pagefind/ at the site root, found relative to this script, so
// the site works under any subpath and never asks another host for anything. The form in
// _search.html stays hidden unless the bundle is there (a site built with --no-search, or
// without Pagefind, shows no search box).
//
// Pagefind keeps one index per language and, by itself, searches only the index of the
// page's <html lang> (here the interface language). Every language's index is loaded, each
// with its own language, so a query is segmented the way that language needs (Chinese and
// Japanese have no spaces between words) and all articles are searched.

const bundleUrl = new URL("../pagefind/", import.meta.url);
const form = document.querySelector("[data-site-search]");
const MAX_RESULTS = 20;
// Results whose fragments are fetched and checked; each is one small request.
const MAX_CHECKED = 50;
const DEBOUNCE_MS = 250;

// The index Pagefind's primary instance loads for a page language: the same rules as its
// own choice, so that language is not loaded twice.
function primaryLanguage(languages, pageLanguage) {
  if (languages[pageLanguage]) return pageLanguage;
  const base = pageLanguage.split("-")[0];
  if (languages[base]) return base;
  const entries = Object.entries(languages);
  entries.sort((a, b) => b[1].page_count - a[1].page_count);
  return entries.length ? entries[0][0] : null;
}

async function loadPagefind(languages) {
  const pagefind = await import(new URL("pagefind.js", bundleUrl).href);
  await pagefind.options({ basePath: bundleUrl.href });
  await pagefind.init();
  const pageLanguage = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
  const primary = primaryLanguage(languages, pageLanguage);
  // Pagefind skips a merge whose path is a prefix of the primary's (it takes it for the
  // same index); "pagefind/./" names the same folder without being a prefix.
  const samePath = `${bundleUrl.pathname}./`;
  for (const language of Object.keys(languages).sort()) {
    if (language !== primary) await pagefind.mergeIndex(samePath, { language });
  }
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the matches: keep exactly that.
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const nodes = [];
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

// Pagefind's Chinese and Japanese indexes split a word they do not know into words they do,
// so a Portuguese or English word can "match" a stray letter ("i" of "(i)") in Japanese
// text. For queries without Chinese or Japanese characters, a result must highlight at
// least one real match: a word the query word begins (the user is still typing), or one
// sharing at least half of the query word (a stem: "descascados" → "descascado").
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();

function sharedPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function matchesQuery(query, excerptParts) {
  if (CJK.test(query)) return true;
  const words = fold(query).split(/\s+/).filter(Boolean);
  const marks = excerptParts.filter((n) => n.nodeName === "MARK").map((n) => fold(n.textContent));
  if (marks.length === 0) return true; // matched outside the excerpt: nothing to judge by
  return marks.some((mark) =>
    words.some((word) => mark.startsWith(word) || sharedPrefix(mark, word) * 2 >= word.length),
  );
}

function resultItem(data, excerpt) {
  const item = document.createElement("li");
  const lang = data.meta.lang || "";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  if (lang) link.lang = lang;
  const title = document.createElement("p");
  title.className = "search-result-title";
  title.append(link);
  const languageName = (data.filters.language || [])[0];
  if (languageName) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = languageName;
    if (lang) badge.lang = lang;
    title.append(" ", badge);
  }
  item.append(title);
  if (excerpt.length) {
    const paragraph = document.createElement("p");
    paragraph.className = "search-result-excerpt";
    if (lang) paragraph.lang = lang;
    paragraph.append(...excerpt);
    item.append(paragraph);
  }
  return item;
}

async function start() {
  if (!form) return;
  let languages;
  try {
    const response = await fetch(new URL("pagefind-entry.json", bundleUrl));
    if (!response.ok) return;
    languages = (await response.json()).languages || {};
  } catch {
    return; // no index (or opened from file://, where fetch is not allowed): no search box
  }
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector("[data-search-status]");
  const list = form.querySelector("[data-search-results]");
  const text = form.dataset;
  let pagefind = null;
  let searchId = 0;
  let timer = 0;

  const show = (message, items) => {
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
    status.textContent = message;
  };

  const run = async () => {
    const query = input.value.trim();
    const id = ++searchId;
    if (!query) {
      show("", []);
      return;
    }
    try {
      pagefind ??= loadPagefind(languages);
      const api = await pagefind;
      const search = await api.search(query);
      const checked = search.results.slice(0, MAX_CHECKED);
      const found = await Promise.all(checked.map((r) => r.data()));
      if (id !== searchId) return; // a newer query is on its way
      const items = [];
      for (const data of found) {
        const excerpt = data.excerpt ? excerptNodes(data.excerpt) : [];
        if (matchesQuery(query, excerpt)) items.push(resultItem(data, excerpt));
      }
      const count = items.length + search.results.length - checked.length;
      show(
        count ? text.count.replace("{n}", String(count)) : text.none,
        items.slice(0, MAX_RESULTS),
      );
    } catch (error) {
      if (id !== searchId) return;
      pagefind = null;
      console.error(error);
      show(text.unavailable, []);
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      run();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // results show as one types; Enter searches at once
    clearTimeout(timer);
    run();
  });
  form.hidden = false;
}

start();
