/* opsbook site: search over the index in search-index.js and the findings filters. Every
 * page works without this file; it only narrows what is already there. Text from the index
 * is always set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var params = new URLSearchParams(window.location.search);

  function tokens(q) {
    return q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function score(entry, toks) {
    var name = entry[1].toLowerCase(), detail = entry[3].toLowerCase(), s = 0;
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      if (name === t) s += 100;
      else if (name.indexOf(t) === 0) s += 40;
      else if (name.indexOf(t) >= 0) s += 20;
      else if (detail.indexOf(t) >= 0) s += 5;
      else return 0;
    }
    return s - name.length / 1000;
  }

  function search(q, limit) {
    var index = window.OPSBOOK_INDEX || [], toks = tokens(q), hits = [];
    if (!toks.length) return hits;
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], toks);
      if (s > 0) hits.push([s, index[i]]);
    }
    hits.sort(function (a, b) { return b[0] - a[0]; });
    return hits.slice(0, limit).map(function (h) { return h[1]; });
  }

  /* The box in the header: a drop-down of the best matches. */
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var active = -1;
  function render(q) {
    var hits = search(q, 12);
    while (list.firstChild) list.removeChild(list.firstChild);
    active = -1;
    if (!q.trim()) { list.hidden = true; return; }
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No match for \u201c" + q + "\u201d";
      list.appendChild(none);
    }
    hits.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      var kind = document.createElement("span"), name = document.createElement("span");
      var detail = document.createElement("span");
      a.href = root + e[2];
      kind.className = "kind kind-" + e[0].replace(/[^a-z]/g, "");
      kind.textContent = e[0];
      name.className = "name";
      name.textContent = e[1];
      detail.className = "detail";
      detail.textContent = e[3];
      a.appendChild(kind); a.appendChild(name); a.appendChild(detail);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }
  function move(d) {
    var items = list.querySelectorAll("a");
    if (!items.length) return;
    active = (active + d + items.length) % items.length;
    items.forEach(function (a, i) { a.classList.toggle("active", i === active); });
  }
  if (input && list) {
    input.addEventListener("input", function () { render(input.value); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { move(1); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { move(-1); ev.preventDefault(); }
      else if (ev.key === "Escape") { list.hidden = true; }
      else if (ev.key === "Enter") {
        var items = list.querySelectorAll("a");
        if (items.length && !list.hidden) {
          window.location.href = items[active >= 0 ? active : 0].href;
          ev.preventDefault();
        }
      }
    });
    document.addEventListener("click", function (ev) {
      if (!list.contains(ev.target) && ev.target !== input) list.hidden = true;
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement !== input &&
          !(document.activeElement && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName))) {
        input.focus();
        ev.preventDefault();
      }
    });
  }

  /* search.html: the full list, narrowed by ?q= and by typing. */
  var table = document.querySelector("table[data-searchlist]");
  if (table && input) {
    var filterList = function () {
      var toks = tokens(input.value);
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var text = tr.textContent.toLowerCase();
        tr.hidden = !toks.every(function (t) { return text.indexOf(t) >= 0; });
      });
    };
    if (params.get("q")) input.value = params.get("q");
    input.addEventListener("input", filterList);
    filterList();
  }

  /* Findings filters: severity, category, rule and a path substring. */
  document.querySelectorAll("form[data-filters]").forEach(function (form) {
    var tbl = form.nextElementSibling;
    while (tbl && !tbl.matches("table[data-filterable]")) tbl = tbl.nextElementSibling;
    if (!tbl) return;
    var rows = Array.prototype.slice.call(tbl.querySelectorAll("tbody tr"));
    var controls = form.querySelectorAll("[data-filter]");
    var count = form.querySelector("output[data-count]");
    function apply() {
      var want = {}, shown = 0;
      controls.forEach(function (c) { want[c.getAttribute("data-filter")] = c.value; });
      rows.forEach(function (tr) {
        var ok = (!want.sev || tr.getAttribute("data-sev") === want.sev) &&
          (!want.cat || tr.getAttribute("data-cat") === want.cat) &&
          (!want.rule || tr.getAttribute("data-rule") === want.rule) &&
          (!want.path || tr.getAttribute("data-path").indexOf(want.path) >= 0);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = shown + " of " + rows.length + " shown";
    }
    controls.forEach(function (c) {
      var v = params.get(c.getAttribute("data-filter"));
      if (v !== null) c.value = v;
      c.addEventListener("input", apply);
      c.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.hidden = false;
    apply();
  });
})();
