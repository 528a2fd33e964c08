// Package geo places a shopper's phone into a store.
//
// A store covers its footprint (a GeoJSON Polygon) or, without one, a circle
// of radius_m around its location. A browser reports a position and an
// accuracy that is roughly one standard deviation, often 20–70 m indoors, and
// mall units are 10–20 m wide, so the answer is a confidence, not a store:
//
//   - inside: the point is in (or within InsideToleranceM of) one store and
//     the accuracy disk reaches no other;
//   - ambiguous: the disk reaches two or more stores, or reaches one store
//     that the point itself is not in ("are you at X?"); every reached store
//     is a candidate and the nearest is the guess;
//   - nearby: the disk reaches no store but some lie within NearbyKm;
//   - none: nothing within NearbyKm.
//
// The disk is generous: its radius is twice the reported accuracy, so that a
// fix one or two standard deviations off still reaches the right store, and it
// is kept between MinDiskRadiusM (a fix is never better than a few metres
// indoors) and MaxDiskRadiusM (beyond that every unit of a mall is a
// candidate and the list stops helping). A fix worse than
// MaxPlaceableAccuracyM comes from Wi-Fi or IP geolocation, not from the
// phone being near a store; it is never placed in a store, only given the
// nearby list, so a help request does not send staff after a shopper who is
// at home.
//
// # Index and resolutions
//
// Stores are filed under H3 cells, and the few stores of one cell are then
// judged with exact geometry (point in polygon, distance to the nearest edge
// in a local projection). Rather than looking up the point's cell plus a
// gridDisk of rings around it, each store is filed under every cell that
// overlaps its bounding box grown by a reach; a lookup whose disk is within
// that reach reads the single cell that contains the point and is sure to see
// every store the disk touches. There are four tiers, each with cells about
// the size of its reach, so a store lands in 5–25 cells per tier (about 55 in
// all, 14 MB for 1,000 stores):
//
//   - resolution 11 (edge ≈ 29 m, 2,150 m²), reach 40 m: GPS-grade fixes
//     (accuracy up to 20 m), where mall units of 100–500 m² must be told apart;
//   - resolution 10 (edge ≈ 76 m, 15,000 m², about two big boxes of
//     3,000–10,000 m² or a row of mall units), reach 150 m: the usual indoor
//     accuracy of 20–75 m; Cells reports this resolution;
//   - resolution 8 (edge ≈ 530 m), reach 500 m: the widest disk;
//   - resolution 6 (edge ≈ 3.7 km), reach 5 km: the nearby list.
//
// Finding the H3 cell of a point through h3-go's cgo latLngToCell costs about
// 1 µs at these resolutions, the whole budget of a lookup, so the snapshot
// keeps the boundaries of its cells in a plain latitude/longitude grid and
// finds the cell with a point-in-hexagon test in Go. That test uses the same
// straight-edged boundaries as H3's overlap test, so a point in a grown box
// is always found in a cell that was filed for it.
package geo
