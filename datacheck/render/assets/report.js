/* datacheck HTML report: draws the charts from the embedded JSON with Chart.js, sorts and filters the cards.
 * Data values are only ever assigned to textContent or handed to Chart.js (which draws on a canvas);
 * nothing from the data is parsed as HTML. It computes no statistic: every number comes from the JSON. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("datacheck-data").textContent);
  var container = document.getElementById("cards");
  var cards = data.columns.map(function (spec, i) {
    return { spec: spec, el: container.querySelector('article[data-i="' + i + '"]'), chart: null };
  });
  var printing = false;
  var LIGHT = { fg: "#1b1f24", muted: "#444", grid: "#e5e5e5", current: "#2563eb", baseline: "#9aa4b1" };

  function palette() {
    if (printing) return LIGHT;
    var css = getComputedStyle(document.documentElement);
    function v(name) { return css.getPropertyValue(name).trim(); }
    return { fg: v("--fg"), muted: v("--muted"), grid: v("--grid"), current: v("--accent"), baseline: v("--baseline") };
  }

  function share(x) { return (x * 100).toFixed(x >= 0.1 ? 0 : 1) + "%"; }

  function config(spec, colours) {
    var horizontal = spec.type === "top" || (spec.type === "overlay" && spec.horizontal);
    var histogram = spec.type === "histogram";
    var asShare = spec.unit === "share";
    var datasets = spec.series.map(function (s) {
      var colour = s.name === "baseline" && spec.series.length > 1 ? colours.baseline : colours.current;
      if (spec.apart && spec.apart.length) {
        // Outlier bars (counted beyond the bulk) in the muted colour, apart from the bulk's bins.
        colour = s.values.map(function (v, i) { return spec.apart.indexOf(i) >= 0 ? colours.baseline : colour; });
      }
      return {
        label: s.name, data: s.values, backgroundColor: colour, borderWidth: 0,
        barPercentage: histogram ? 1.0 : 0.9, categoryPercentage: histogram ? 0.96 : 0.8
      };
    });
    var valueAxis = {
      beginAtZero: true, grid: { color: colours.grid }, border: { display: false },
      ticks: { color: colours.muted, maxTicksLimit: 5, callback: asShare ? function (v) { return share(v); } : undefined }
    };
    var labelAxis = {
      grid: { display: false }, border: { color: colours.grid },
      ticks: { color: colours.muted, autoSkip: !horizontal, maxRotation: 0, autoSkipPadding: 8,
               display: spec.type !== "overlay" || spec.bin_labels }
    };
    return {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: spec.series.length > 1, position: "top", align: "end",
                    labels: { color: colours.fg, boxWidth: 10, boxHeight: 10, padding: 6 } },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? spec.tips[items[0].dataIndex] : ""; },
              label: function (item) {
                var v = item.raw;
                return " " + item.dataset.label + ": " + (v === null ? "–" : asShare ? share(v) : v.toLocaleString("en-US"));
              }
            }
          }
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis }
      }
    };
  }

  function draw(card) {
    if (card.chart || !card.spec.chart || !card.el) return;
    var canvas = card.el.querySelector("canvas");
    if (!canvas) return;
    card.chart = new Chart(canvas, config(card.spec.chart, palette()));
    card.el.setAttribute("data-drawn", "1");
  }

  function redrawAll(onlyDrawn) {
    cards.forEach(function (card) {
      var had = !!card.chart;
      if (card.chart) { card.chart.destroy(); card.chart = null; }
      if (had || !onlyDrawn) draw(card);
    });
  }

  // Charts are drawn when their card comes near the viewport: a 500-column report opens at once.
  var observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var card = cards[Number(entry.target.getAttribute("data-i"))];
        draw(card);
        observer.unobserve(entry.target);
      });
    }, { rootMargin: "400px 0px" });
    // Cards already on screen are drawn at once, so the first paint (and a screenshot) shows their charts.
    var near = window.innerHeight + 400;
    cards.forEach(function (card) {
      if (!card.el || !card.spec.chart) return;
      if (card.el.getBoundingClientRect().top < near) draw(card);
      else observer.observe(card.el);
    });
  } else {
    redrawAll(false);
  }

  // Printing draws every chart, in the light palette, at the printed width.
  function beforePrint() {
    printing = true;
    document.documentElement.classList.add("printing");
    redrawAll(false);
  }
  function afterPrint() {
    printing = false;
    document.documentElement.classList.remove("printing");
    redrawAll(true);
  }
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  if (dark && dark.addEventListener) dark.addEventListener("change", function () { redrawAll(true); });

  // Sorting and filtering.
  var q = document.getElementById("q"), type = document.getElementById("type"), issues = document.getElementById("issues");
  var sort = document.getElementById("sort"), reverse = document.getElementById("reverse");
  var shown = document.getElementById("shown"), none = document.getElementById("none");
  var reversed = false;

  function missing(s) { return s.missing === null ? -1 : s.missing; }
  function driftKey(s) {
    // Drifted first; then by how far the measure went: p-values ascending, distances descending.
    var d = s.drift;
    if (!d || d.method === null) return [1, 0, 0];
    var far = d.applies_to === "pvalue" ? (d.pvalue === null ? 1 : d.pvalue) : (d.value === null ? 0 : -d.value);
    return [d.drifted ? -1 : 0, d.applies_to === "pvalue" ? 1 : 0, far];
  }
  function compare(a, b) {
    var x = a.spec, y = b.spec, keyX, keyY;
    switch (sort.value) {
      case "name": keyX = [x.name.toLowerCase()]; keyY = [y.name.toLowerCase()]; break;
      case "type": keyX = [x.type, x.order]; keyY = [y.type, y.order]; break;
      case "missing": keyX = [-missing(x), x.order]; keyY = [-missing(y), y.order]; break;
      case "drift": keyX = driftKey(x).concat([x.order]); keyY = driftKey(y).concat([y.order]); break;
      case "order": keyX = [x.order]; keyY = [y.order]; break;
      default: keyX = [-x.rank, x.order]; keyY = [-y.rank, y.order];
    }
    for (var i = 0; i < keyX.length; i++) {
      if (keyX[i] < keyY[i]) return -1;
      if (keyX[i] > keyY[i]) return 1;
    }
    return x.order - y.order;
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), wanted = type.value, onlyIssues = issues.checked, count = 0;
    var ordered = cards.slice().sort(compare);
    if (reversed) ordered.reverse();
    ordered.forEach(function (card) {
      var s = card.spec;
      var flagged = data.kind === "stats" ? s.missing > 0 : (s.rank > 0 || (s.drift && s.drift.drifted));
      var visible = (!text || s.name.toLowerCase().indexOf(text) >= 0) && (!wanted || s.type === wanted) && (!onlyIssues || flagged);
      card.el.hidden = !visible;
      if (visible) count++;
      container.appendChild(card.el);
    });
    shown.textContent = count + " of " + cards.length + " columns";
    none.hidden = count > 0;
  }
  [q, type, issues, sort].forEach(function (el) { el.addEventListener(el === q ? "input" : "change", apply); });
  reverse.addEventListener("click", function () {
    reversed = !reversed;
    reverse.setAttribute("aria-pressed", String(reversed));
    apply();
  });
  apply();
})();
