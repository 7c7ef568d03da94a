// Package ons reads the ONS "Crime in England and Wales: Police Force Area
// data tables" workbooks (xlsx), the published figures that crimetrends
// checks its own figures against.
//
// ReadPFA takes Tables P1 (number of offences), P2 (percentage change on
// the previous year) and P3 (rate per 1,000 population, with the mid-year
// population) and merges them into one datasets.Published per area and
// offence group: England and Wales, England, the nine English regions, the
// 43 police force areas, Wales and British Transport Police. The other
// sheets (notes, knife crime, anti-social behaviour) are not read.
//
// Tables are found by sheet name ("Table P1", ignoring case and surrounding
// spaces); a workbook without one is a *MissingSheetError naming the sheets
// it has and the one whose title is the table's (a renamed sheet). Header
// rows by content (the row holding "Area Code" and "Area
// Name"), offence columns by header text resolved with
// datasets.ResolveSelector, and areas by ONS code or, where a row has none
// (BTP), by name with datasets.ResolveArea. The reader survives the quirks
// of the published files: a title row, blank rows, a group row above the
// column names (which holds the "Total recorded crime (excluding fraud)"
// header of Tables P1 and P2), a units row, footnote rows after the data,
// footnote digits glued to names, headers and even area codes
// ("ENGLAND AND WALES6,7", "Stalking and harassment4", "E230000246"),
// embedded newlines and repeated spaces in headers, trailing spaces in
// sheet and region names, a footnote number in parentheses glued to a name
// ("British Transport Police(2006)", P2 of the year ending December 2018),
// and the misspelt header "Residental burglary" (P2, 2018 releases).
//
// Figures are kept exactly as published: counts as whole numbers (a count
// that is not one is an error), percentages and rates as full-precision
// floats. Where ONS printed a marker instead of a figure, the marker is
// kept: "-" (base under 50), ".." (not available: Greater Manchester in the
// years ending September and December 2019), "+" (City of London rates,
// suppressed). An offence cell of an area's row that holds no value (an
// empty cell, or a formula saved without its result, as tools other than
// Excel and LibreOffice write them) is no figure with a
// datasets.NoValueMarker naming the cell ("no value in 'Table P1'!E12
// (formula)"): a missing figure, never ONS's "..". A table with no row for
// the area (Table P3 has no row for BTP) gives no figure and an empty
// marker.
//
// Columns that are not offences are listed explicitly: the area code and
// name, the population (kept as Published.Population), household figures
// and the residential burglary rate per 1,000 households. Every offence
// column resolves with datasets.ResolveSelector; Published.Offence is the
// selection's label, so ONS's own names are kept where no set of Home
// Office codes reproduces them ("Residential burglary", "Non-residential
// burglary", "Death or serious injury - unlawful driving": selections of
// kind datasets.SelectPublished) and datasets.ONSName gives the name ONS
// prints for the others ("Vehicle offences" for the label "Vehicle
// crime"). Any other header that does not resolve is an error.
//
// # Footnotes
//
// Each table numbers its own footnotes below the data ("4. From the year
// ending June 2017 ..."; "8 '..' indicates ..." once without the dot) and
// glues their numbers to what they annotate: the title ("year ending
// September 20181,2"), the units row ("Percentage change4,5"), the
// population header ("(mid-2017)3 rounded to 100"), offence headers
// ("Stalking and harassment4", "Total recorded crime (excluding fraud3)")
// and area names ("Avon and Somerset8", "ENGLAND AND WALES6,7"). The reader
// keeps them, white space collapsed, and gives each Published row the notes
// that bear on its figures (Published.Footnotes: Table P1's on its count,
// P2's on its change, P3's on its rate), in table then number order, each
// prefixed with its table ("Table P2: '-' indicates that the base number is
// fewer than 50."); a text printed in more than one table is given once,
// with them all ("Tables P1 and P3: ..."). A note bears on the columns and
// rows whose header or name carries its number. A note on the table as a
// whole (the title, the units row, the population header) or on nothing
// bears on every figure, except one explaining a marker ("'-' indicates
// ..."), which bears on the figures printed as that marker. A note that
// would bear on every figure of its table is the release's, not the rows':
// Release.Notes, once. A note only on columns not read (household figures)
// is left out. A number with no note below its table is ignored ("(2006)"
// after BTP's name; "Avon and Somerset12" in P3 of June 2018), and so are
// the digits glued to area codes ("E230000246"): they point at notes the
// table does not have, or (Norfolk in P2 of June 2018) at one about England
// and Wales. The source line and other unnumbered rows are not notes.
//
// The period is the one named in the title of Table P1 ("year ending March
// 2019"); the titles of P2 and P3 must agree with it. The release ID is
// "ons-pfa-" and the period end ("ons-pfa-2019-03"); a workbook whose file
// name says it is "corrected" or a second version ("v2") is a revision of
// the same release and its ID gets the suffix "-corrected" or "-v2"
// ("ons-pfa-2018-06-corrected"), so that both can be kept side by side.
//
// Any malformed input stops the read with a *datasets.RowError naming the
// file, sheet, row (the spreadsheet's own row number), column and what was
// expected, wrapping one of the datasets sentinels.
package ons
