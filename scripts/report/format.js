  /* format.js: money, counts and percentages as the page writes them, and
   * the DOM helpers (text only, never HTML). */
  // ------------------------------------------------------------ formats
  var moneyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2
  });
  var countFormat = new Intl.NumberFormat("en-US");
  var percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
  function money(value) { return moneyFormat.format(value || 0); }
  // a tile's amount, compact ($85.2M, $768K): moneyTile puts the exact one in its title
  var compactMoneyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", notation: "compact", maximumSignificantDigits: 3
  });
  function compactMoney(value) { return compactMoneyFormat.format(value || 0); }
  function count(value) { return countFormat.format(value || 0); }
  function percent(value) { return percentFormat.format(value || 0); }
  // a "Show more" button's label: how many it shows, how many there are
  function showMore(next, total, noun) {
    return "Show " + count(next) + " more (" + count(total) + (noun ? " " + noun : "") + " in all)";
  }
  function cents(value) { return Math.round((value || 0) * 100); }
  function signed(value) {
    if (value === null || value === undefined) return "";
    return (value > 0 ? "+" : value < 0 ? "\u2212" : "") + money(Math.abs(value));
  }

  // ------------------------------------------------------------ DOM helpers
  function $(id) { return document.getElementById(id); }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    var keys = Object.keys(attributes || {});
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i], value = attributes[key];
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  // a headline tile's value: the amount compact, exact on hover (tables stay exact)
  function moneyTile(node, value, sign) {
    var amount = value || 0, prefix = sign && amount > 0 ? "+" : sign && amount < 0 ? "\u2212" : "";
    node.textContent = sign ? prefix + compactMoney(Math.abs(amount)) : compactMoney(amount);
    node.title = sign ? signed(amount) : money(amount);
    return node;
  }
  function td(text, numeric) { return el("td", { text: text, className: numeric ? "num" : null }); }
  function th(text, numeric) { return el("th", { scope: "col", text: text, className: numeric ? "num" : null }); }
  // a wide table scrolls in its own box (.table-scroll); a box that can
  // scroll is a region named by its table's caption (or its section's
  // heading) and a stop of the Tab key, so the keyboard can scroll it: on a
  // narrow screen every box (most tables are wider than a phone; a section
  // off screen is not laid out, so not measured), on a wide one those wider
  // than their box when laid out (no stop that does nothing)
  var narrow = window.matchMedia("(max-width: 700px)");
  var boxSizes = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.target.isConnected) keyboardScroll(entry.target.closest(".table-scroll"));
      else boxSizes.unobserve(entry.target);  // a view drawn again
    });
  }) : null;
  function keyboardScroll(box) {
    if (!box) return;
    if (!narrow.matches && box.scrollWidth <= box.clientWidth + 1) {
      ["tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      return;
    }
    var caption = box.querySelector("caption"), section = box.closest("section, details, div[id]");
    var heading = section && section.querySelector("h2, h3, summary");
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", (caption || heading || box).textContent.trim().slice(0, 120));
  }
  function watchBox(box) {
    keyboardScroll(box);
    if (boxSizes) { boxSizes.observe(box); if (box.firstElementChild) boxSizes.observe(box.firstElementChild); }
    return box;
  }
  function scrollBox(tableNode) { return watchBox(el("div", { className: "table-scroll" }, [tableNode])); }
  Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), watchBox);
  narrow.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), keyboardScroll);
  });
  function table(id, caption, headers, rows) {
    return scrollBox(el("table", { id: id }, [
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return th(h[0], h[1]); }))]),
      el("tbody", {}, rows)
    ]));
  }
  // keep the keyboard focus on the control the user acted on across a redraw
  function keepingFocus(draw) {
    var active = document.activeElement;
    var key = active && active.getAttribute ? active.getAttribute("data-focus") : null;
    draw();
    if (!key) return;
    var again = document.querySelector('[data-focus="' + CSS.escape(key) + '"]');
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
  }

