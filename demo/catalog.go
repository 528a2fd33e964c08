package demo

import "math"

type product struct {
	sku, name string
	price     float64
}

// catalog is the demo chain's range: the same SKUs in every store, with
// different stock.
var catalog = []product{
	{"TV-LG-OLED55C4", "LG OLED55C4 55\" 4K OLED TV", 1299}, {"TV-LG-OLED65C4", "LG OLED65C4 65\" 4K OLED TV", 1899},
	{"TV-SAM-QE55Q80D", "Samsung QE55Q80D 55\" QLED TV", 899}, {"TV-SAM-QE43Q60D", "Samsung QE43Q60D 43\" QLED TV", 449},
	{"TV-SONY-K55XR70", "Sony Bravia 7 55\" Mini LED TV", 1399}, {"TV-PHI-55PUS8909", "Philips Ambilight 55PUS8909 55\" TV", 649},
	{"TV-TCL-50P755", "TCL 50P755 50\" 4K TV", 349}, {"TV-HIS-32A4K", "Hisense 32A4K 32\" HD TV", 179},
	{"SB-SONOS-BEAM2", "Sonos Beam (Gen 2) soundbar", 499}, {"SB-SAM-HWQ700D", "Samsung HW-Q700D soundbar", 549},
	{"PH-APL-IP16-128", "iPhone 16 128 GB", 969}, {"PH-APL-IP16P-256", "iPhone 16 Pro 256 GB", 1359},
	{"PH-SAM-S24-256", "Samsung Galaxy S24 256 GB", 909}, {"PH-SAM-A55-128", "Samsung Galaxy A55 128 GB", 449},
	{"PH-GOO-PX9-128", "Google Pixel 9 128 GB", 899}, {"PH-XIA-RN13-256", "Xiaomi Redmi Note 13 256 GB", 279},
	{"PH-FAI-FP5-256", "Fairphone 5 256 GB", 699}, {"AC-APL-USBC20W", "Apple 20 W USB-C charger", 25},
	{"AC-ANK-PB10K", "Anker 10,000 mAh power bank", 35}, {"AC-SAM-BUDS3P", "Samsung Galaxy Buds3 Pro", 249},
	{"AC-APL-APP2", "AirPods Pro 2 with USB-C case", 279}, {"AP-BOS-WAN28", "Bosch Serie 6 washing machine 8 kg", 649},
	{"AP-MIE-G7110", "Miele G 7110 dishwasher", 999}, {"AP-LG-GBB72", "LG GBB72 fridge freezer", 799},
	{"AP-SAM-MS23K", "Samsung MS23K microwave", 149}, {"AP-DYS-V15", "Dyson V15 Detect cordless vacuum", 699},
	{"AP-ROW-X-PLORER", "Rowenta X-Plorer S75 robot vacuum", 449}, {"AP-DEL-MAGNIFICA", "De'Longhi Magnifica S espresso machine", 329},
	{"AP-NES-VERTUO", "Nespresso Vertuo Pop", 99}, {"AP-KEN-KMIX", "Kenwood kMix stand mixer", 299},
	{"AP-TEF-AIRFRY", "Tefal Easy Fry XXL air fryer", 129}, {"AP-PHI-KETTLE", "Philips 1.7 l kettle", 39},
	{"CO-APL-MBA13-M3", "MacBook Air 13\" M3 256 GB", 1299}, {"CO-APL-MBP14-M4", "MacBook Pro 14\" M4 512 GB", 1999},
	{"CO-LEN-IDEAPAD5", "Lenovo IdeaPad Slim 5 14\"", 749}, {"CO-HP-PAV15", "HP Pavilion 15 laptop", 699},
	{"CO-ASU-ZEN14", "ASUS Zenbook 14 OLED", 999}, {"CO-DEL-U2724D", "Dell UltraSharp U2724D 27\" monitor", 479},
	{"CO-LOG-MXKEYS", "Logitech MX Keys S keyboard", 119}, {"CO-LOG-MXM3S", "Logitech MX Master 3S mouse", 109},
	{"CO-SAN-SSD1T", "SanDisk Extreme 1 TB portable SSD", 129}, {"CO-APL-IPAD11", "iPad 11\" 128 GB Wi-Fi", 409},
	{"CO-HP-ENVY6555", "HP Envy 6555e printer", 119}, {"GA-SON-PS5SLIM", "PlayStation 5 Slim", 549},
	{"GA-NIN-SWOLED", "Nintendo Switch OLED", 349}, {"GA-MS-XSXS", "Xbox Series S 512 GB", 299},
	{"GA-SON-DUALSNS", "DualSense wireless controller", 74}, {"GA-NIN-MKWORLD", "Mario Kart World (Switch)", 79},
	{"GA-LOG-G-PRO", "Logitech G Pro X headset", 139}, {"GA-RAZ-KRAKEN", "Razer Kraken V4 headset", 149},
}

// metresToDegrees converts north and east distances at latitude lat into degrees.
func metresToDegrees(lat, north, east float64) (dLat, dLng float64) {
	const metresPerDegree = 111_320.0
	return north / metresPerDegree, east / (metresPerDegree * math.Cos(lat*math.Pi/180))
}
