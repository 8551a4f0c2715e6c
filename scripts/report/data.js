  /* partners.html: find, filter and draw the rows of the report models.
   * scripts/partners/export_html.py joins these modules into the page's one script
   * (its SCRIPTS, in order): data.js runs first and calls the others with
   * the data. With no filter on, every figure shown is the model's own; under
   * a filter the page sums the rpt_campaigns rows that pass it (counts and
   * sums only). Text is only ever inserted with textContent, never as HTML.
   *
   * data.js: the page's data. #report-data holds a JSON string: base64 text
   * of the gzip-compressed JSON export_html.read_sections writes, one entry
   * per report model (its name without rpt_): its columns and, per batch of
   * rows, each column's values (see section below). */
  var startedAt = performance.now(), profile = {};

  // a model's rows as {columns, count, values: {column: [value per row]}};
  // a text or date column also as codes (each row's index into its levels,
  // the distinct values in the order they first appear) and levels
  function section(raw) {
    var values = {}, codes = {}, count = 0;
    raw.batches.forEach(function (batch) { count += batch.length ? batch[0].length : 0; });
    raw.columns.forEach(function (name, at) {
      var parts = raw.batches.map(function (batch) { return batch[at] || []; });
      var column = parts.length === 1 ? parts[0] : [].concat.apply([], parts);
      var levels = raw.levels[name];
      if (!levels) { values[name] = column; return; }
      codes[name] = column;
      // decoded when first read (the search's columns only once the page is idle)
      Object.defineProperty(values, name, { enumerable: true, get: function () {
        var decoded = new Array(column.length);
        for (var i = 0; i < column.length; i++) decoded[i] = levels[column[i]];
        Object.defineProperty(values, name, { enumerable: true, value: decoded });
        return decoded;
      }, configurable: true });
    });
    return { columns: raw.columns, count: count, values: values, codes: codes, levels: raw.levels };
  }
  function readData(done) {
    var text = JSON.parse(document.getElementById("report-data").textContent);
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(stream).json().then(function (raw) {
      var data = {};
      Object.keys(raw).forEach(function (name) { data[name] = section(raw[name]); });
      profile.parseMs = performance.now() - startedAt;
      done(data);
    });
  }
  // the rows as objects (for the small models)
  function records(part) {
    var rows = new Array(part.count), columns = part.columns;
    for (var i = 0; i < part.count; i++) {
      var row = {};
      for (var j = 0; j < columns.length; j++) row[columns[j]] = part.values[columns[j]][i];
      rows[i] = row;
    }
    return rows;
  }
