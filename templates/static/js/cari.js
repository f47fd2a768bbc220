/* Site search on the search page only: loads Pagefind's search code and the part of the
   index a query needs, from this site, when the reader searches (never on other pages).
   Results are built as DOM nodes; the excerpt keeps only its <mark> highlights. */
const form = document.querySelector("[data-cari]");
const input = form && form.querySelector("input[name=q]");
const status = document.getElementById("cari-status");
const list = document.getElementById("cari-hasil");
const PAGE = 10;
let pagefind = null;
let shown = [];
let more = null;

function message(name, values) {
  let text = form.dataset[name] || "";
  for (const [key, value] of Object.entries(values || {})) text = text.replace(`{${key}}`, value);
  return text;
}

/* The excerpt as nodes: text, and <mark> around the matched words; nothing else. */
function excerpt(html) {
  const p = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function item(data) {
  const li = document.createElement("li");
  const h = document.createElement("h2");
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = (data.meta && data.meta.title) || data.url;
  h.append(a);
  li.append(h);
  if (data.meta && data.meta.section) {
    const s = document.createElement("p");
    s.className = "cari-bagian";
    s.textContent = data.meta.section;
    li.append(s);
  }
  li.append(excerpt(data.excerpt || ""));
  return li;
}

async function showNext() {
  const next = shown.slice(list.children.length, list.children.length + PAGE);
  const data = await Promise.all(next.map((r) => r.data()));
  for (const d of data) list.append(item(d));
  if (more) more.remove();
  more = null;
  if (list.children.length < shown.length) {
    more = document.createElement("button");
    more.type = "button";
    more.className = "cari-lagi";
    more.textContent = message("pesanLagi");
    more.addEventListener("click", () => {
      const first = list.children.length;
      showNext().then(() => {
        const link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });
    list.after(more);
  }
}

async function search(query) {
  list.textContent = "";
  if (more) more.remove();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = message("pesanMemuat");
  try {
    if (!pagefind) {
      pagefind = await import(`${form.dataset.bundle}pagefind.js`);
      // Repeating a word many times counts for less than Pagefind's default, so a service
      // page outranks the long procedure that shares its words. Searching on the page itself,
      // not in a worker, saves downloading the worker's own copy of the search code.
      await pagefind.options({
        noWorker: true,
        excerptLength: 26,
        ranking: { termFrequency: 0.5, termSaturation: 0.8 },
      });
      await pagefind.init();
    }
    const found = await pagefind.search(query);
    shown = found.results;
    if (!shown.length) {
      status.textContent = message("pesanKosong", { q: query });
      return;
    }
    await showNext();
    status.textContent = message("pesanJumlah", { n: shown.length, q: query });
  } catch (err) {
    status.textContent = message("pesanGalat");
  }
}

if (form && input && status && list) {
  /* A query may hold something personal (a NIK typed by mistake): it is read from the
     address the header's search box opened, then taken out of the address and history. */
  const url = new URL(location.href);
  const query = url.searchParams.get("q") || "";
  if (url.searchParams.has("q")) {
    url.searchParams.delete("q");
    history.replaceState(null, "", url);
  }
  input.value = query;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value);
  });
  if (query) search(query);
}
