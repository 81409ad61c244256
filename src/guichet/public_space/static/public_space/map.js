/* Maps of the street reports: an enhancement, the forms and lists work without it.
 * [data-pick]: a click places the point and fills #id_latitude / #id_longitude.
 * [data-list=ID]: one marker per list item carrying data-lat / data-lng.
 * [data-lat][data-lng] on the map itself: one marker there. */
(function () {
  "use strict";
  function setup(element) {
    if (typeof L === "undefined") { return; }
    var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
    var centreLat = parseFloat(element.dataset.centreLat), centreLng = parseFloat(element.dataset.centreLng);
    var center = !isNaN(lat) ? [lat, lng] : !isNaN(centreLat) ? [centreLat, centreLng] : [46.6, 2.4];
    var map = L.map(element).setView(center, !isNaN(lat) ? 17 : !isNaN(centreLat) ? 15 : 5);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    var marker = isNaN(lat) ? null : L.marker(center).addTo(map);
    document.body.classList.add("has-map");
    if (element.dataset.pick) {
      var latInput = document.getElementById("id_latitude");
      var lngInput = document.getElementById("id_longitude");
      map.on("click", function (event) {
        var point = event.latlng;
        if (marker) { marker.setLatLng(point); } else { marker = L.marker(point).addTo(map); }
        if (latInput && lngInput) {
          latInput.value = point.lat.toFixed(6);
          lngInput.value = point.lng.toFixed(6);
        }
      });
    }
    if (element.dataset.list) {
      var bounds = [];
      document.querySelectorAll("#" + element.dataset.list + " [data-lat]").forEach(function (item) {
        var position = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lng)];
        var link = item.querySelector("a");
        var popup = document.createElement("a");
        popup.href = link ? link.href : "#";
        popup.textContent = link ? link.textContent : "";
        L.marker(position, { opacity: item.dataset.open === "1" ? 1 : 0.5 }).addTo(map).bindPopup(popup);
        bounds.push(position);
      });
      if (bounds.length) { map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] }); }
    }
  }
  document.querySelectorAll(".report-map").forEach(setup);
})();
