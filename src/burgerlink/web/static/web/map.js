/* Maps of web/includes/map.html: Leaflet (from npm) over the table of the same points.
 * Progressive enhancement: the map container stays hidden without JavaScript; the table always
 * shows. Tiles come only from the server in data-tile-url (MAP_TILE_URL); without one the
 * markers stand on a plain background. Keyboard: the map takes focus (arrows pan, + and - zoom),
 * each marker is a button (Tab, Enter opens its label and link). Texts come from the page. */
(function () {
  "use strict";

  function popupContent(point) {
    var element = document.createElement(point.url ? "a" : "span");
    element.textContent = point.label;
    if (point.url) {
      element.href = point.url;
      element.className = "utrecht-link";
    }
    return element;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-map-data"));
    if (!source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    container.hidden = false;
    // No fade: a popup half faded in fails contrast, and people who get motion sick gain.
    var map = L.map(container, { zoomControl: false, attributionControl: false, fadeAnimation: false });
    L.control
      .zoom({
        zoomInTitle: container.getAttribute("data-zoom-in"),
        zoomOutTitle: container.getAttribute("data-zoom-out"),
      })
      .addTo(map);
    var tiles = container.getAttribute("data-tile-url");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: Number(container.getAttribute("data-max-zoom")) || 19 }).addTo(map);
    } else {
      container.classList.add("map--plain");
    }
    var bounds = [];
    (data.area || []).forEach(function (ring) {
      L.polygon(ring, { interactive: false, className: "map-area" }).addTo(map);
      bounds = bounds.concat(ring);
    });
    (data.points || []).forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        title: point.label,
        alt: point.label,
        keyboard: true,
        icon: L.divIcon({ className: "map-marker", iconSize: [18, 18] }),
      }).addTo(map);
      marker.bindPopup(popupContent(point), { closeButton: true });
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView([52.16, 5.39], 7); // the middle of the Netherlands (Amersfoort)
    }
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", container.getAttribute("data-close"));
        close.setAttribute("title", container.getAttribute("data-close"));
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-map-data]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
