/* The dashboard map: Bali's hospitals coloured by oxygen status. Reads the markers from
   the page's JSON block; tiles come from the configured URL (none: the table is enough). */
(function () {
  "use strict";
  var box = document.getElementById("rs-map");
  var data = document.getElementById("rs-markers");
  if (!box || !data || typeof L === "undefined") { return; }
  var markers = JSON.parse(data.textContent);
  var colours = { critical: "#b3261e", warning: "#e8590c", watch: "#f2b705", safe: "#146c2e", no_report: "#6b7580" };
  var map = L.map(box, { scrollWheelZoom: false }).setView([-8.45, 115.18], 9);
  var tiles = box.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: box.getAttribute("data-attribution") || "" }).addTo(map);
  }
  var bounds = [];
  markers.forEach(function (m) {
    var marker = L.circleMarker([m.lat, m.lon], {
      radius: 9, weight: 2, color: "#1b1f24", fillColor: colours[m.status] || "#6b7580", fillOpacity: 0.9
    }).addTo(map);
    var hours = m.hours === null ? "" : " · " + m.hours + " h";
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(m.label + hours));
    marker.bindPopup(popup);
    marker.bindTooltip(m.name + " · " + m.label + hours);
    bounds.push([m.lat, m.lon]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [20, 20] }); }
})();
