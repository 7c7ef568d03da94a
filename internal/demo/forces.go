package demo

// forceProfile is the private, approximate description of one force used to
// size and place its synthetic data. Populations are rounded mid-2020s
// estimates in thousands; rates are recorded offences (excluding fraud) per
// 1,000 residents a year, in the right region of the published figures.
type forceProfile struct {
	code      string
	popK      float64  // resident population, thousands
	rate      float64  // recorded offences per 1,000 residents a year
	lon, lat  float64  // centre of the force area
	radiusKm  float64  // rough radius in which its LSOA centroids fall
	btpWeight float64  // share of BTP crimes falling within this force
	districts []string // local authority names used in LSOA names
}

// btpProfile stands in for British Transport Police: popK*rate gives its
// yearly volume; it has no area of its own.
var btpProfile = forceProfile{code: "BTP", popK: 1000, rate: 62}

// defaultProfile is used for a force the table does not know.
var defaultProfile = forceProfile{popK: 1000, rate: 85, lon: -1.5, lat: 52.5, radiusKm: 20, districts: []string{"Synthetic"}}

var forceProfiles = []forceProfile{
	{"E23000001", 9166, 104, -0.120, 51.505, 17, 40, []string{"Westminster", "Camden", "Islington", "Hackney", "Tower Hamlets", "Southwark", "Lambeth", "Croydon", "Barnet", "Ealing", "Newham", "Brent"}},
	{"E23000002", 514, 70, -2.902, 54.638, 35, 0.4, []string{"Carlisle", "Allerdale", "Barrow-in-Furness", "South Lakeland", "Eden", "Copeland"}},
	{"E23000003", 1543, 96, -2.554, 53.864, 23, 1.5, []string{"Preston", "Blackpool", "Blackburn with Darwen", "Lancaster", "Burnley", "Chorley"}},
	{"E23000004", 1466, 95, -2.900, 53.420, 11, 2.5, []string{"Liverpool", "Wirral", "Sefton", "St. Helens", "Knowsley"}},
	{"E23000005", 2897, 115, -2.334, 53.506, 15, 6, []string{"Manchester", "Salford", "Stockport", "Bolton", "Wigan", "Oldham", "Trafford", "Rochdale"}},
	{"E23000006", 1091, 76, -2.550, 53.214, 20, 1.5, []string{"Cheshire East", "Cheshire West and Chester", "Warrington", "Halton"}},
	{"E23000007", 1500, 108, -1.650, 55.050, 25, 2, []string{"Newcastle upon Tyne", "Sunderland", "Gateshead", "North Tyneside", "South Tyneside", "Northumberland"}},
	{"E23000008", 653, 96, -1.700, 54.685, 18, 0.6, []string{"County Durham", "Darlington"}},
	{"E23000009", 849, 60, -1.550, 54.094, 35, 1, []string{"York", "Harrogate", "Scarborough", "Selby", "Hambleton", "Craven"}},
	{"E23000010", 2390, 125, -1.650, 53.741, 17, 5, []string{"Leeds", "Bradford", "Kirklees", "Wakefield", "Calderdale"}},
	{"E23000011", 1445, 108, -1.330, 53.483, 15, 2, []string{"Sheffield", "Rotherham", "Doncaster", "Barnsley"}},
	{"E23000012", 960, 100, -0.560, 53.800, 23, 0.8, []string{"Kingston upon Hull, City of", "East Riding of Yorkshire", "North East Lincolnshire", "North Lincolnshire"}},
	{"E23000013", 585, 128, -1.250, 54.570, 9, 0.5, []string{"Middlesbrough", "Stockton-on-Tees", "Hartlepool", "Redcar and Cleveland"}},
	{"E23000014", 3004, 112, -1.900, 52.480, 13, 5, []string{"Birmingham", "Coventry", "Wolverhampton", "Dudley", "Sandwell", "Walsall", "Solihull"}},
	{"E23000015", 1165, 84, -2.028, 52.909, 20, 1.5, []string{"Stoke-on-Trent", "Stafford", "Newcastle-under-Lyme", "East Staffordshire", "Cannock Chase", "Tamworth"}},
	{"E23000016", 1321, 74, -2.600, 52.450, 33, 1, []string{"Herefordshire, County of", "Shropshire", "Telford and Wrekin", "Worcester", "Wyre Forest", "Malvern Hills"}},
	{"E23000017", 588, 76, -1.569, 52.280, 17, 1, []string{"Warwick", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon", "North Warwickshire"}},
	{"E23000018", 1085, 80, -1.550, 53.000, 20, 1, []string{"Derby", "Chesterfield", "Amber Valley", "Erewash", "High Peak", "South Derbyshire"}},
	{"E23000019", 1189, 90, -1.050, 53.050, 18, 1.5, []string{"Nottingham", "Mansfield", "Ashfield", "Gedling", "Broxtowe", "Newark and Sherwood"}},
	{"E23000020", 778, 66, -0.300, 53.100, 30, 0.5, []string{"Lincoln", "Boston", "East Lindsey", "North Kesteven", "South Holland", "West Lindsey"}},
	{"E23000021", 1126, 80, -1.100, 52.650, 19, 1.5, []string{"Leicester", "Charnwood", "Hinckley and Bosworth", "Melton", "Rutland", "North West Leicestershire"}},
	{"E23000022", 770, 92, -0.867, 52.311, 19, 1, []string{"West Northamptonshire", "North Northamptonshire"}},
	{"E23000023", 878, 85, -0.050, 52.350, 23, 2, []string{"Cambridge", "Peterborough", "Huntingdonshire", "Fenland", "East Cambridgeshire", "South Cambridgeshire"}},
	{"E23000024", 931, 70, 1.000, 52.671, 28, 1, []string{"Norwich", "Great Yarmouth", "King's Lynn and West Norfolk", "Breckland", "Broadland", "North Norfolk"}},
	{"E23000025", 781, 66, 1.049, 52.200, 24, 1, []string{"Ipswich", "East Suffolk", "West Suffolk", "Babergh", "Mid Suffolk"}},
	{"E23000026", 689, 86, -0.422, 52.000, 14, 1.5, []string{"Luton", "Bedford", "Central Bedfordshire"}},
	{"E23000027", 1220, 72, -0.277, 51.809, 16, 3, []string{"St Albans", "Watford", "Stevenage", "Dacorum", "Welwyn Hatfield", "Hertsmere"}},
	{"E23000028", 1888, 92, 0.500, 51.750, 24, 3, []string{"Southend-on-Sea", "Thurrock", "Chelmsford", "Colchester", "Basildon", "Braintree"}},
	{"E23000029", 2480, 76, -0.950, 51.650, 30, 4, []string{"Milton Keynes", "Oxford", "Reading", "Slough", "Buckinghamshire", "Cherwell", "West Berkshire"}},
	{"E23000030", 2045, 92, -1.300, 51.000, 25, 3, []string{"Southampton", "Portsmouth", "Basingstoke and Deane", "Winchester", "New Forest", "Isle of Wight"}},
	{"E23000031", 1226, 66, -0.400, 51.268, 16, 3, []string{"Guildford", "Woking", "Elmbridge", "Reigate and Banstead", "Spelthorne", "Waverley"}},
	{"E23000032", 1902, 100, 0.720, 51.220, 24, 4, []string{"Medway", "Maidstone", "Canterbury", "Dartford", "Thanet", "Ashford"}},
	{"E23000033", 1755, 80, -0.150, 50.950, 22, 4, []string{"Brighton and Hove", "Crawley", "Eastbourne", "Hastings", "Worthing", "Chichester"}},
	{"E23000034", 9, 700, -0.092, 51.515, 1, 6, []string{"City of London"}},
	{"E23000035", 1815, 66, -4.000, 50.550, 40, 1.5, []string{"Plymouth", "Exeter", "Cornwall", "Torbay", "Teignbridge", "North Devon"}},
	{"E23000036", 1763, 86, -2.650, 51.300, 26, 2.5, []string{"Bristol, City of", "Bath and North East Somerset", "North Somerset", "South Gloucestershire", "Somerset West and Taunton", "Mendip"}},
	{"E23000037", 653, 70, -2.152, 51.850, 20, 0.8, []string{"Gloucester", "Cheltenham", "Stroud", "Cotswold", "Forest of Dean", "Tewkesbury"}},
	{"E23000038", 742, 64, -1.900, 51.400, 23, 1, []string{"Wiltshire", "Swindon"}},
	{"E23000039", 795, 66, -2.200, 50.750, 20, 1, []string{"Bournemouth, Christchurch and Poole", "Dorset"}},
	{"W15000001", 719, 82, -3.600, 53.100, 28, 0.6, []string{"Wrexham", "Flintshire", "Conwy", "Gwynedd", "Denbighshire", "Isle of Anglesey"}},
	{"W15000002", 609, 90, -2.989, 51.700, 15, 0.8, []string{"Newport", "Caerphilly", "Torfaen", "Blaenau Gwent", "Monmouthshire"}},
	{"W15000003", 1371, 96, -3.500, 51.580, 17, 2, []string{"Cardiff", "Swansea", "Rhondda Cynon Taf", "Bridgend", "Neath Port Talbot", "Vale of Glamorgan", "Merthyr Tydfil"}},
	{"W15000004", 534, 60, -3.800, 52.150, 38, 0.4, []string{"Carmarthenshire", "Pembrokeshire", "Ceredigion", "Powys"}},
}

// profileFor returns the table entry for an ONS force code, or BTP's, or a
// default for an unknown code.
func profileFor(code string) forceProfile {
	if code == btpProfile.code {
		return btpProfile
	}
	for _, p := range forceProfiles {
		if p.code == code {
			return p
		}
	}
	p := defaultProfile
	p.code = code
	return p
}
