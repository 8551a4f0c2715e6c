  /* partners.html: find, filter and draw the rows of the report models.
   * scripts/partners/export_html.py joins these modules into the page's one script
   * (its SCRIPTS, in order): data.js runs first and calls the others with
   * the data. With no filter on, every figure shown is the model's own; under
   * a filter the page sums the rpt_campaigns rows that pass it (counts and
   * sums only). Text is only ever inserted with textContent, never as HTML.
   *
   * data.js: the page's data. #report-data holds a JSON string: base64 text
   * of the gzip-compressed JSON export_html.read_sections writes, one entry
   * per report model (its name without rpt_) under "sections": its columns and,
   * per batch of rows, each column's values; then the text columns' levels,
   * by column name (see section below). */
  var startedAt = performance.now(), profile = {};

  // a model's rows as {columns, count, values: {column: [value per row]}};
  // a text or date column also as codes (each row's index into its levels,
  // the distinct values in the order they first appear in this model) and
  // levels. The data sends a coded column's values as codes into the levels
  // every model with a column of that name shares (shared[column]), a batch
  // as the codes or as {d: each code less the one before it}; they are
  // renumbered here into the model's own levels.
  function rows(part) { return part && part.d ? part.d : part || []; }
  function section(raw, shared) {
    var values = {}, codes = {}, levels = {}, count = 0;
    raw.batches.forEach(function (batch) { count += batch.length ? rows(batch[0]).length : 0; });
    raw.columns.forEach(function (name, at) {
      if (raw.coded.indexOf(name) < 0) {
        var parts = raw.batches.map(function (batch) { return batch[at] || []; });
        values[name] = parts.length === 1 ? parts[0] : [].concat.apply([], parts);
        return;
      }
      var all = shared[name], own = levels[name] = [], column = codes[name] = new Int32Array(count);
      var map = new Int32Array(all.length).fill(-1), i = 0, previous = -1;
      raw.batches.forEach(function (batch) {
        var part = batch[at], delta = !!(part && part.d), list = rows(part);
        for (var k = 0; k < list.length; k++) {
          var code = previous = delta ? previous + list[k] : list[k];
          if (map[code] < 0) { map[code] = own.length; own.push(all[code]); }
          column[i++] = map[code];
        }
      });
      // decoded when first read (the search's columns only once the page is idle)
      Object.defineProperty(values, name, { enumerable: true, get: function () {
        var decoded = new Array(column.length);
        for (var j = 0; j < column.length; j++) decoded[j] = own[column[j]];
        Object.defineProperty(values, name, { enumerable: true, value: decoded });
        return decoded;
      }, configurable: true });
    });
    return { columns: raw.columns, count: count, values: values, codes: codes, levels: levels };
  }
  function bytesOf(binary) {
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  function readData(done) {
    var text = JSON.parse(document.getElementById("report-data").textContent);
    // the browser's own base64 decoder where it has one (5x faster at 500x)
    var bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text) : bytesOf(atob(text));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(stream).json().then(function (raw) {
      var data = {};
      Object.keys(raw.sections).forEach(function (name) { data[name] = section(raw.sections[name], raw.levels); });
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
