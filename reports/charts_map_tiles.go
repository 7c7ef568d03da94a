package reports

// forceTile is one force's square on the built-in tile map: Col counts
// from the west, Row from the north.
type forceTile struct {
	Code  string
	Short string
	Col   int
	Row   int
}

// Tile map size.
const (
	tileCols = 8
	tileRows = 10
)

// forceTiles place the 43 territorial forces on a grid of one square each,
// keeping rough geography: Wales in the west, London in the south east.
// It is a diagram, not a map: areas and borders are not to scale.
var forceTiles = []forceTile{
	{"E23000007", "NUMB", 4, 0},
	{"E23000002", "CUMB", 3, 1},
	{"E23000008", "DURH", 4, 1},
	{"E23000013", "CLEV", 5, 1},
	{"E23000003", "LANCS", 3, 2},
	{"E23000009", "NYORKS", 4, 2},
	{"E23000012", "HUMB", 5, 2},
	{"E23000004", "MERS", 2, 3},
	{"E23000005", "GMP", 3, 3},
	{"E23000010", "WYORKS", 4, 3},
	{"E23000011", "SYORKS", 5, 3},
	{"W15000001", "NWALES", 1, 4},
	{"E23000006", "CHES", 2, 4},
	{"E23000015", "STAFFS", 3, 4},
	{"E23000018", "DERBYS", 4, 4},
	{"E23000019", "NOTTS", 5, 4},
	{"E23000020", "LINCS", 6, 4},
	{"W15000004", "DYFED", 1, 5},
	{"E23000016", "WMERC", 2, 5},
	{"E23000014", "WMIDS", 3, 5},
	{"E23000021", "LEICS", 4, 5},
	{"E23000022", "NHANTS", 5, 5},
	{"E23000023", "CAMBS", 6, 5},
	{"E23000024", "NORF", 7, 5},
	{"W15000003", "SWALES", 1, 6},
	{"W15000002", "GWENT", 2, 6},
	{"E23000037", "GLOS", 3, 6},
	{"E23000017", "WARKS", 4, 6},
	{"E23000026", "BEDS", 5, 6},
	{"E23000027", "HERTS", 6, 6},
	{"E23000025", "SUFF", 7, 6},
	{"E23000036", "AVSOM", 2, 7},
	{"E23000038", "WILTS", 3, 7},
	{"E23000029", "TVP", 4, 7},
	{"E23000001", "MET", 5, 7},
	{"E23000034", "CITY", 6, 7},
	{"E23000028", "ESSEX", 7, 7},
	{"E23000035", "DEVCOR", 2, 8},
	{"E23000039", "DORSET", 3, 8},
	{"E23000030", "HANTS", 4, 8},
	{"E23000031", "SURREY", 5, 8},
	{"E23000032", "KENT", 6, 8},
	{"E23000033", "SUSSEX", 5, 9},
}
