/* udpix dashboard page: plain ES2019, no framework, no build step. The contract (element ids, the snapshot
 * object, the SSE events) is in docs/DASHBOARD.md. Everything the server relays (names, peers, JSON text) came
 * from the network and is hostile input: it only ever reaches the page through textContent/attributes, never
 * innerHTML. */
(function () {
  "use strict";

  var POINTS = 120;          // points kept per chart (two minutes at one stats tick per second)
  var JSON_SHOWN = 20;       // last JSON messages listed
  var STALE_MS = 5000;       // no stats for this long: the SSE link is as good as down
  var $ = function (id) { return document.getElementById(id); };

  var conns = new Map();     // connection id -> {el, rtt, rate, xs, rttYs, rateYs, figs}
  var streams = new Map();   // stream key -> {el, img, figs}
  var ports = new Map();     // port -> {el, img, figs, caption, seq}
  var lastStatsMs = 0;
  var source = null;

  // ---- formatting -------------------------------------------------------------------------------------------
  function num(n) { return n == null || isNaN(n) ? "–" : Math.round(n).toLocaleString("en-US"); }
  function bytes(n, suffix) {
    if (n == null || isNaN(n)) return "–";
    var units = ["B", "kB", "MB", "GB", "TB"], i = 0;
    while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + " " + units[i] + (suffix || "");
  }
  function rate(n) { return bytes(n, "/s"); }
  function ms(n) { return n == null || isNaN(n) ? "–" : (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)) + " ms"; }
  function pct(n) { return n == null || isNaN(n) ? "–" : n.toFixed(n < 1 ? 2 : 1) + " %"; }
  function duration(s) {
    if (s == null || isNaN(s)) return "–";
    s = Math.floor(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    return (h ? h + "h " : "") + (h || m ? m + "m " : "") + sec + "s";
  }

  // ---- DOM helpers (text only) ------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }
  /** A row of label/value figures; returns {name: valueElement}. */
  function figures(parent, names) {
    var dl = el("dl", "figs"), out = {};
    names.forEach(function (n) {
      var d = el("div", "fig");
      d.appendChild(el("dt", null, n[1]));
      out[n[0]] = d.appendChild(el("dd", null, "–"));
      dl.appendChild(d);
    });
    parent.appendChild(dl);
    return out;
  }
  function setText(e, text) { if (e.textContent !== text) e.textContent = text; }
  function empty(container, show, text) {
    var p = container.querySelector(":scope > p.empty");
    if (show && !p) container.appendChild(el("p", "empty", text));
    if (!show && p) p.remove();
  }

  // ---- status -----------------------------------------------------------------------------------------------
  function status(live) {
    var s = $("status");
    setText(s, live ? "live" : "reconnecting");
    s.className = "status " + (live ? "live" : "reconnecting");
  }
  setInterval(function () {
    if (lastStatsMs && Date.now() - lastStatsMs > STALE_MS) status(false);
  }, 1000);

  // ---- totals -----------------------------------------------------------------------------------------------
  function totals(snap) {
    var t = snap.totals || {};
    setText($("total-in"), rate(t.receiveBytesPerSecond));
    setText($("total-out"), rate(t.sendBytesPerSecond));
    setText($("total-items"), num(t.itemsReceived));
    setText($("total-conns"), num((snap.connections || []).length));
    setText($("total-drops"), num(t.dropsTotal));
    setText($("total-uptime"), duration(snap.uptimeSeconds));
    var drops = t.drops || {};
    $("total-drops").parentNode.title = Object.keys(drops).map(function (k) { return k + ": " + drops[k]; })
        .join("\n") || "no drops";
    $("total-drops").parentNode.classList.toggle("warn", (t.dropsTotal || 0) > 0);
    var srv = snap.server || {};
    setText($("server"), [srv.mode, srv.fingerprint ? "key " + String(srv.fingerprint).slice(0, 16) : null]
        .filter(Boolean).join(" · "));
  }

  // ---- ports and their latest images --------------------------------------------------------------------------
  function portCard(port) {
    var p = ports.get(port);
    if (p) return p;
    var box = $("ports");
    var card = el("div", "card port");
    card.dataset.port = String(port);
    var head = card.appendChild(el("div", "card-head"));
    head.appendChild(el("span", "title", "port " + port));
    var frame = card.appendChild(el("div", "image-frame none"));
    var img = el("img", "latest");
    img.id = "port-" + port + "-image";
    img.alt = "latest image on port " + port;
    img.loading = "lazy";
    img.decoding = "async";
    img.hidden = true;
    frame.appendChild(img);
    var none = frame.appendChild(el("span", "no-image muted", "no image yet"));
    var caption = card.appendChild(el("div", "caption muted"));
    var figs = figures(card, [["datagrams", "datagrams"], ["bytes", "bytes"], ["items", "items"],
                              ["drops", "drops"]]);
    p = {el: card, img: img, none: none, figs: figs, caption: caption, seq: -1};
    ports.set(port, p);
    // Keep the cards in port order.
    var after = Array.prototype.find.call(box.querySelectorAll(".port"), function (c) {
      return Number(c.dataset.port) > port;
    });
    box.insertBefore(card, after || null);
    empty(box, false);
    return p;
  }
  function showImage(port, seq, url, text, detailed) {
    var p = portCard(port);
    if (seq < p.seq) return;
    if (seq > p.seq) {
      p.seq = seq;
      p.img.dataset.seq = String(seq);
      // ?seq= only busts the browser cache: the server always answers with the port's latest image.
      // Shown at once: a display:none image with loading=lazy would never load.
      p.img.hidden = false;
      p.none.remove();
      p.img.parentNode.classList.remove("none");
      p.img.src = (url || "/api/latest/" + port + ".jpg") + "?seq=" + encodeURIComponent(seq);
      p.detailed = false;
    }
    // The image event's caption (size, format, sender) beats the snapshot's bare name.
    if (text && (detailed || !p.detailed)) {
      setText(p.caption, text);
      p.caption.title = text;
      p.detailed = !!detailed;
    }
  }
  function portsUpdate(list) {
    var seen = new Set();
    list.forEach(function (s) {
      seen.add(s.port);
      var p = portCard(s.port);
      setText(p.figs.datagrams, num(s.datagramsReceived));
      setText(p.figs.bytes, bytes(s.bytesReceived));
      setText(p.figs.items, num(s.itemsReceived));
      setText(p.figs.drops, num(s.dropsTotal));
      var li = s.latestImage;
      if (li && li.seq > p.seq) showImage(s.port, li.seq, li.url, li.name);
    });
    ports.forEach(function (p, port) { if (!seen.has(port)) { p.el.remove(); ports.delete(port); } });
    empty($("ports"), ports.size === 0, "No ports yet.");
  }

  // ---- connections with live charts ------------------------------------------------------------------------
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function chartWidth(host) { return Math.max(120, host.clientWidth || 280); }
  function makeChart(host, label, color, fmt) {
    var axis = {stroke: css("--muted"), grid: {stroke: css("--grid"), width: 1}, ticks: {show: false},
                font: "11px system-ui, sans-serif", size: 44,
                values: function (u, vals) { return vals.map(fmt); }};
    return new uPlot({
      width: chartWidth(host), height: 110, legend: {show: false}, cursor: {show: false},
      padding: [8, 8, 0, 0],
      scales: {x: {time: true}, y: {range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; }}},
      axes: [{stroke: css("--muted"), grid: {show: false}, ticks: {show: false}, font: "11px system-ui, sans-serif",
              size: 22, space: 60},
             axis],
      series: [{}, {label: label, stroke: color, width: 1.5, fill: color + "22", points: {show: false}}]
    }, [[], []], host);
  }
  function shortRate(v) {
    if (v == null) return "";
    var units = ["B", "k", "M", "G"], i = 0;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)) + units[i];
  }
  function shortPct(v) { return v == null ? "" : (v < 10 && v !== 0 ? v.toFixed(1) : Math.round(v)) + "%"; }
  function shortMs(v) { return v == null ? "" : (v < 10 ? v.toFixed(1) : Math.round(v)) + "ms"; }

  function connCard(c) {
    var k = conns.get(c.id);
    if (k) return k;
    var card = el("div", "card conn");
    card.dataset.id = c.id;
    var head = card.appendChild(el("div", "card-head"));
    head.appendChild(el("span", "title", c.peer));
    head.appendChild(el("span", "tag", "port " + c.port + " · " + (c.role || "")));
    var figs = figures(card, [["rtt", "RTT"], ["rttMin", "min"], ["rttVar", "var"], ["delivery", "delivery"],
                              ["pacing", "pacing"], ["cwnd", "cwnd"], ["inflight", "in flight"],
                              ["loss", "loss"], ["retx", "retransmitted"]]);
    var charts = card.appendChild(el("div", "charts"));
    var rttBox = charts.appendChild(el("div", "chart"));
    rttBox.appendChild(el("span", "chart-label", "RTT"));
    var rttHost = rttBox.appendChild(el("div", "rtt-chart"));
    var rateBox = charts.appendChild(el("div", "chart"));
    rateBox.appendChild(el("span", "chart-label", "delivery rate, bytes/s"));
    var rateHost = rateBox.appendChild(el("div", "rate-chart"));
    var lossBox = charts.appendChild(el("div", "chart"));
    lossBox.appendChild(el("span", "chart-label", "loss per interval, %"));
    var lossHost = lossBox.appendChild(el("div", "loss-chart"));
    $("connections").appendChild(card);
    empty($("connections"), false);
    k = {el: card, figs: figs, rttHost: rttHost, rateHost: rateHost, lossHost: lossHost,
         xs: [], rttYs: [], rateYs: [], lossYs: [], sent: null, lost: null,
         rtt: makeChart(rttHost, "RTT", css("--accent"), shortMs),
         rate: makeChart(rateHost, "rate", css("--accent2"), shortRate),
         loss: makeChart(lossHost, "loss", css("--warn"), shortPct)};
    rttHost.dataset.points = "0";
    conns.set(c.id, k);
    return k;
  }
  function connectionsUpdate(list, tSec) {
    var seen = new Set();
    list.forEach(function (c) {
      seen.add(c.id);
      var k = connCard(c);
      setText(k.figs.rtt, ms(c.rttMs));
      setText(k.figs.rttMin, ms(c.rttMinMs));
      setText(k.figs.rttVar, ms(c.rttVarMs));
      setText(k.figs.delivery, rate(c.deliveryRateBytesPerSecond));
      setText(k.figs.pacing, rate(c.pacingRateBytesPerSecond));
      setText(k.figs.cwnd, bytes(c.congestionWindowBytes));
      setText(k.figs.inflight, bytes(c.bytesInFlight));
      setText(k.figs.loss, pct(c.lossPercent) + " (" + num(c.packetsLost) + "/" + num(c.packetsSent) + ")");
      setText(k.figs.retx, bytes(c.retransmittedBytes));
      k.figs.loss.classList.toggle("warn", (c.lossPercent || 0) >= 1);
      // One point per stats tick: the charts redraw at most once per tick.
      // Loss in this interval (packets declared lost over packets sent since the last tick), not the
      // connection's lifetime ratio, so a burst shows as a spike rather than a slow drift.
      var dSent = k.sent == null ? 0 : (c.packetsSent || 0) - k.sent;
      var dLost = k.lost == null ? 0 : (c.packetsLost || 0) - k.lost;
      k.sent = c.packetsSent || 0; k.lost = c.packetsLost || 0;
      var lossNow = dSent > 0 ? Math.min(100, 100 * Math.max(0, dLost) / dSent) : 0;
      k.xs.push(tSec); k.rttYs.push(c.rttMs); k.rateYs.push(c.deliveryRateBytesPerSecond); k.lossYs.push(lossNow);
      if (k.xs.length > POINTS) { k.xs.shift(); k.rttYs.shift(); k.rateYs.shift(); k.lossYs.shift(); }
      k.rtt.setData([k.xs, k.rttYs]);
      k.rate.setData([k.xs, k.rateYs]);
      k.loss.setData([k.xs, k.lossYs]);
      k.rttHost.dataset.points = String(k.xs.length);
    });
    conns.forEach(function (k, id) {
      if (!seen.has(id)) { k.rtt.destroy(); k.rate.destroy(); k.loss.destroy(); k.el.remove(); conns.delete(id); }
    });
    empty($("connections"), conns.size === 0, "No connections.");
  }
  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      conns.forEach(function (k) {
        k.rtt.setSize({width: chartWidth(k.rttHost), height: 110});
        k.rate.setSize({width: chartWidth(k.rateHost), height: 110});
        k.loss.setSize({width: chartWidth(k.lossHost), height: 110});
      });
    }, 150);
  });

  // ---- transfers ----------------------------------------------------------------------------------------------
  function transfersUpdate(list) {
    var box = $("transfers");
    var frag = document.createDocumentFragment();
    // Items in progress first, then the finished ones (the server keeps the last 20), each group in its order.
    var active = function (t) { return t.state === "STARTED" || t.state === "PROGRESS"; };
    list.filter(active).concat(list.filter(function (t) { return !active(t); })).forEach(function (t) {
      var row = el("div", "transfer " + String(t.state || "").toLowerCase());
      var head = row.appendChild(el("div", "transfer-head"));
      head.appendChild(el("span", "name", t.name || "(unnamed)"));
      head.appendChild(el("span", "tag", String(t.kind || "").toLowerCase()));
      var bar = row.appendChild(el("progress"));
      bar.max = Math.max(1, t.sizeBytes || 0);
      bar.value = Math.min(bar.max, t.doneBytes || 0);
      var done = t.sizeBytes ? Math.floor(100 * (t.doneBytes || 0) / t.sizeBytes) : 0;
      var line = bytes(t.doneBytes) + " of " + bytes(t.sizeBytes) + " (" + done + " %) · " + rate(t.rateBytesPerSecond)
          + " · " + t.sender + " → port " + t.port + " · " + String(t.state || "").toLowerCase();
      row.appendChild(el("div", "muted small", line));
      if (t.message) row.appendChild(el("div", "error small", t.message));
      frag.appendChild(row);
    });
    box.replaceChildren(frag);
    empty(box, list.length === 0, "No transfers.");
  }

  // ---- live streams (MJPEG, loaded only while on screen) ----------------------------------------------------
  var viewer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      var img = e.target;
      // Off screen, an MJPEG connection only costs bandwidth: drop it, and reconnect when it scrolls back.
      if (e.isIntersecting) { if (!img.getAttribute("src")) img.src = img.dataset.src; }
      else if (img.getAttribute("src")) img.removeAttribute("src");
    });
  }, {rootMargin: "200px"}) : null;

  function streamCard(s) {
    var k = streams.get(s.key);
    if (k) return k;
    var card = el("div", "card stream");
    card.dataset.key = s.key;
    var head = card.appendChild(el("div", "card-head"));
    var title = head.appendChild(el("span", "title", s.name || s.key));
    head.appendChild(el("span", "tag", (s.codec || "") + " · port " + s.port + (s.incoming ? "" : " · out")));
    var frame = card.appendChild(el("div", "image-frame"));
    var img = el("img", "mjpeg");
    img.alt = "live stream " + s.key;
    frame.appendChild(img);
    if (typeof s.mjpeg === "string" && s.mjpeg) {   // outgoing streams have no frames here to show
      img.dataset.src = s.mjpeg;
      if (viewer) viewer.observe(img); else img.src = s.mjpeg;
    } else {
      img.hidden = true;
      frame.classList.add("none");
      frame.appendChild(el("span", "no-image muted", "no picture (outgoing)"));
    }
    card.appendChild(el("div", "caption muted", s.key));
    var figs = figures(card, [["fps", "fps"], ["onTime", "on time"], ["p50", "latency p50"], ["p99", "p99"],
                              ["late", "late"], ["lost", "lost"], ["dropped", "dropped at source"]]);
    var onTime = el("span", "on-time", "0");
    figs.onTime.textContent = "";
    figs.onTime.appendChild(onTime);
    figs.onTime = onTime;
    $("streams").appendChild(card);
    empty($("streams"), false);
    k = {el: card, img: img, figs: figs, title: title};
    streams.set(s.key, k);
    return k;
  }
  function streamsUpdate(list) {
    var seen = new Set();
    list.forEach(function (s) {
      seen.add(s.key);
      var k = streamCard(s);
      setText(k.title, s.name || s.key);   // the name may come a tick after the stream's first frames
      setText(k.figs.fps, s.fps == null ? "–" : Number(s.fps).toFixed(1));
      setText(k.figs.onTime, String(s.onTime == null ? 0 : s.onTime));
      setText(k.figs.p50, ms(s.latencyP50Ms));
      setText(k.figs.p99, ms(s.latencyP99Ms));
      setText(k.figs.late, num(s.late));
      setText(k.figs.lost, num(s.lost));
      setText(k.figs.dropped, num(s.droppedAtSource));
      k.figs.late.classList.toggle("warn", (s.late || 0) > 0);
      k.figs.lost.classList.toggle("warn", (s.lost || 0) > 0);
    });
    streams.forEach(function (k, key) {
      if (!seen.has(key)) {
        if (viewer) viewer.unobserve(k.img);
        k.img.removeAttribute("src");
        k.el.remove();
        streams.delete(key);
      }
    });
    empty($("streams"), streams.size === 0, "No live streams.");
  }

  // ---- JSON messages ------------------------------------------------------------------------------------------
  var jsonShown = "";
  function jsonItem(m) {
    var li = el("li", "msg");
    var meta = li.appendChild(el("div", "meta muted small"));
    meta.textContent = [m.time ? String(m.time).replace("T", " ").replace(/\.\d+Z?$/, "") : "", m.sender,
                        "port " + m.port, m.name].filter(Boolean).join(" · ");
    li.appendChild(el("pre", "text", String(m.text == null ? "" : m.text) + (m.truncated ? " …" : "")));
    return li;
  }
  function jsonKey(m) { return m ? [m.time, m.sender, m.port, m.name].join("|") : ""; }
  function jsonAll(list) {
    var key = list.map(jsonKey).join("\n");
    if (key === jsonShown) return;
    jsonShown = key;
    var frag = document.createDocumentFragment();
    list.slice(0, JSON_SHOWN).forEach(function (m) { frag.appendChild(jsonItem(m)); });
    $("json").replaceChildren(frag);
  }
  function jsonOne(m) {
    var box = $("json");
    box.insertBefore(jsonItem(m), box.firstChild);
    while (box.children.length > JSON_SHOWN) box.lastChild.remove();
    jsonShown = "";  // the next snapshot's list is authoritative again
  }

  // ---- wiring -------------------------------------------------------------------------------------------------
  function onStats(snap) {
    lastStatsMs = Date.now();
    status(source != null && source.readyState === 1);
    var tSec = snap.time ? Date.parse(snap.time) / 1000 : Date.now() / 1000;
    totals(snap);
    portsUpdate(snap.ports || []);
    connectionsUpdate(snap.connections || [], tSec);
    transfersUpdate(snap.transfers || []);
    streamsUpdate(snap.streams || []);
    if (snap.recentJson) jsonAll(snap.recentJson);
  }
  function parse(e) {
    try { return JSON.parse(e.data); } catch (err) { return null; }
  }
  function connect() {
    source = new EventSource("api/events");
    source.onopen = function () { status(true); };
    source.onerror = function () { status(false); };   // EventSource retries on its own (server sends retry:)
    source.addEventListener("stats", function (e) { var s = parse(e); if (s) onStats(s); });
    source.addEventListener("image", function (e) {
      var m = parse(e);
      if (!m) return;
      var text = [m.name, m.width && m.height ? m.width + "×" + m.height : null, m.format, bytes(m.sizeBytes),
                  "from " + m.sender].filter(Boolean).join(" · ");
      showImage(m.port, m.seq, "/api/latest/" + m.port + ".jpg", text, true);
    });
    source.addEventListener("json", function (e) { var m = parse(e); if (m) jsonOne(m); });
  }
  connect();
})();
