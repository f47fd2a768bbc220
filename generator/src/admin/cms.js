// The site's additions to the content editor (Decap CMS), loaded after it by /admin/:
// - the `konfirmasi` field: a value of the service standard, or a placeholder
//   `{konfirmasi: "what to confirm"}` for a fact not confirmed yet;
// - previews drawn with the site's own stylesheet, as citizens will see the page.
// Settings come from setup.js (made by the generator): KPU_CMS.{stylesheet, collections}.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var settings = globalThis.KPU_CMS || {};

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // The key holding the main text of an item written as a map, by the shape of the component.
  var MAIN = { langkah: "langkah", persyaratan: "nama", biaya: "teks" };
  var UNITS = { "hari kerja": "hari_kerja", hari: "hari", jam: "jam", menit: "menit" };

  // The value split into what the field shows: the main text, the note, and the rest kept.
  function read(value, shape) {
    value = plain(value);
    if (isObject(value) && typeof value.konfirmasi === "string" && Object.keys(value).length === 1) {
      return { pending: true, text: value.konfirmasi, note: "", rest: {} };
    }
    if (!isObject(value)) {
      return { pending: false, text: value === undefined || value === null ? "" : String(value), note: "", rest: {} };
    }
    var rest = Object.assign({}, value);
    var note = rest.keterangan || "";
    delete rest.keterangan;
    var text = "";
    if (shape === "jangka_waktu" && rest.nilai !== undefined) {
      text = rest.nilai + " " + String(rest.satuan || "").replace("_", " ");
      delete rest.nilai;
      delete rest.satuan;
    } else if (MAIN[shape] && rest[MAIN[shape]] !== undefined) {
      text = String(rest[MAIN[shape]]);
      delete rest[MAIN[shape]];
    }
    return { pending: false, text: text, note: note, rest: rest };
  }

  // The value to save: as short as it can be written (text alone when there is no note).
  function write(state, shape) {
    if (state.pending) return { konfirmasi: state.text };
    var extra = Object.keys(state.rest).length > 0;
    if (!state.note && !extra) {
      if (shape === "angka") return state.text === "" ? "" : Number(state.text);
      return state.text;
    }
    var out = {};
    if (shape === "jangka_waktu") {
      var match = /^\s*(\d+)\s*(.*)$/.exec(state.text) || [];
      out.nilai = Number(match[1] || 0);
      out.satuan = UNITS[(match[2] || "").trim().toLowerCase()] || (match[2] || "").trim();
    } else {
      out[MAIN[shape] || "teks"] = state.text;
    }
    Object.assign(out, state.rest);
    if (state.note) out.keterangan = state.note;
    return out;
  }

  // One value: the placeholder switch, the value (or what to confirm), and a note where
  // the component takes one. `props`: value, onChange(value), shape, id, className.
  var Value = createClass({
    change: function (part) {
      var state = Object.assign(read(this.props.value, this.props.shape), part);
      this.props.onChange(write(state, this.props.shape));
    },
    render: function () {
      var self = this;
      var shape = this.props.shape;
      var state = read(this.props.value, shape);
      var kinds = { angka: "number", tanggal: "date" };
      var children = [
        h("label", { key: "k", style: { display: "block", marginBottom: "0.5em" } },
          h("input", {
            type: "checkbox",
            checked: state.pending,
            onChange: function (e) { self.change({ pending: e.target.checked }); },
          }),
          " Perlu konfirmasi (fakta belum pasti)"),
        h("input", {
          key: "t",
          id: this.props.id,
          type: state.pending ? "text" : kinds[shape] || "text",
          className: this.props.className,
          value: state.text,
          "aria-label": this.props.label,
          placeholder: state.pending ? "Yang harus dipastikan" : "",
          onChange: function (e) { self.change({ text: e.target.value }); },
        }),
      ];
      if (!state.pending && (MAIN[shape] || shape === "jangka_waktu")) {
        children.push(h("label", { key: "n", style: { display: "block", marginTop: "0.5em" } },
          "Keterangan (boleh kosong)",
          h("input", {
            type: "text",
            className: this.props.className,
            value: state.note,
            onChange: function (e) { self.change({ note: e.target.value }); },
          })));
      }
      return h("div", {}, children);
    },
  });

  // Why a value cannot be saved, or null.
  function problem(value, shape) {
    var state = read(value, shape);
    if (state.pending && !state.text.trim()) return "Tulis apa yang harus dipastikan.";
    if (state.pending) return null;
    if (shape === "jangka_waktu" && state.text && !/^\s*[1-9]\d*\s+(hari kerja|hari|jam|menit)\s*$/i.test(state.text)) {
      return "Tulis angka dan satuan: hari kerja, hari, jam, atau menit (misalnya 10 hari kerja).";
    }
    if (shape === "angka" && state.text !== "" && !/^\d+$/.test(state.text)) return "Tulis bilangan bulat, misalnya 3.";
    return null;
  }

  var Control = createClass({
    isValid: function () {
      var shape = this.props.field.get("bentuk") || "teks";
      var state = read(this.props.value, shape);
      var required = this.props.field.get("required") !== false;
      var why = problem(this.props.value, shape) ||
        (required && !state.pending && !state.text.trim() ? "Wajib diisi. Jika belum pasti, centang \"perlu konfirmasi\"." : null);
      return why ? { error: { message: why } } : true;
    },
    render: function () {
      return h(Value, {
        value: this.props.value,
        shape: this.props.field.get("bentuk") || "teks",
        id: this.props.forID,
        className: this.props.classNameWrapper,
        onChange: this.props.onChange,
      });
    },
  });

  // A list of values: each item as above, with buttons to add, move and remove items.
  var ListControl = createClass({
    items: function () {
      var value = plain(this.props.value);
      return Array.isArray(value) ? value : [];
    },
    set: function (items) {
      this.props.onChange(items);
    },
    isValid: function () {
      var shape = this.props.field.get("bentuk") || "teks";
      var items = this.items();
      if (this.props.field.get("required") !== false && items.length === 0) {
        return { error: { message: "Wajib diisi: paling sedikit satu butir." } };
      }
      for (var i = 0; i < items.length; i++) {
        var why = problem(items[i], shape) || (read(items[i], shape).text.trim() ? null : "Butir " + (i + 1) + " kosong.");
        if (why) return { error: { message: "Butir " + (i + 1) + ": " + why } };
      }
      return true;
    },
    render: function () {
      var self = this;
      var shape = this.props.field.get("bentuk") || "teks";
      var items = this.items();
      var label = this.props.field.get("label");
      var rows = items.map(function (item, i) {
        var copy = function () { return items.slice(); };
        return h("li", { key: i, style: { borderLeft: "3px solid #ccc", paddingLeft: "0.75em", marginBottom: "1em" } },
          h(Value, {
            value: item,
            shape: shape,
            id: i === 0 ? self.props.forID : undefined,
            label: label + ", butir " + (i + 1),
            className: self.props.classNameWrapper,
            onChange: function (v) { var next = copy(); next[i] = v; self.set(next); },
          }),
          h("button", { type: "button", disabled: i === 0, onClick: function () { var next = copy(); next.splice(i - 1, 0, next.splice(i, 1)[0]); self.set(next); } }, "Naik"),
          " ",
          h("button", { type: "button", disabled: i === items.length - 1, onClick: function () { var next = copy(); next.splice(i + 1, 0, next.splice(i, 1)[0]); self.set(next); } }, "Turun"),
          " ",
          h("button", { type: "button", onClick: function () { var next = copy(); next.splice(i, 1); self.set(next); } }, "Hapus butir " + (i + 1)));
      });
      return h("div", {},
        h("ol", { style: { paddingLeft: "1.5em" } }, rows),
        h("button", { type: "button", onClick: function () { self.set(items.concat([""])); } }, "Tambah butir"));
    },
  });

  var Shown = createClass({
    render: function () {
      var state = read(this.props.value, this.props.field.get("bentuk"));
      if (state.pending) return h("span", { className: "konfirmasi" }, "perlu konfirmasi: " + state.text);
      return h("span", {}, state.text + (state.note ? " (" + state.note + ")" : ""));
    },
  });

  var ShownList = createClass({
    render: function () {
      var shape = this.props.field.get("bentuk");
      var value = plain(this.props.value);
      return h("ul", {}, (Array.isArray(value) ? value : []).map(function (item, i) {
        return h("li", { key: i }, h(Shown, { value: item, field: { get: function () { return shape; } } }));
      }));
    },
  });

  CMS.registerWidget("konfirmasi", Control, Shown);
  CMS.registerWidget("daftar_konfirmasi", ListControl, ShownList);

  // A page as the site draws it: the title, the description, then the text.
  var Page = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      return h("main", { id: "isi" },
        h("article", {},
          h("header", { className: "judul-halaman" },
            h("h1", {}, data.get("title")),
            data.get("description") ? h("p", { className: "ringkasan" }, data.get("description")) : null),
          h("div", { className: "isi" }, this.props.widgetFor("body")),
          data.get("standar_pelayanan") ? h("section", {},
            h("h2", {}, "Standar pelayanan"),
            this.props.widgetsFor("standar_pelayanan").getIn(["widgets"])) : null));
    },
  });

  if (settings.phrases) CMS.registerLocale(settings.language, settings.phrases);
  if (settings.stylesheet) CMS.registerPreviewStyle(settings.stylesheet);
  (settings.collections || []).forEach(function (name) {
    CMS.registerPreviewTemplate(name, Page);
  });
  CMS.init();
})();
