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
  function table(id, caption, headers, rows) {
    return el("div", { className: "table-scroll" }, [el("table", { id: id }, [
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return th(h[0], h[1]); }))]),
      el("tbody", {}, rows)
    ])]);
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

