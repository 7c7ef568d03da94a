package pipeline

// MaxLeftOut is the most members a like-for-like total may leave out.
const MaxLeftOut = 3

// LikeForLike is the one rule for every total crimetrends builds from
// forces (England and Wales, a country, a region, a peer group): a member
// without complete figures for both windows compared is left out of both,
// and the total is given only when at most MaxLeftOut of its members, and
// fewer than half of them, are left out. members is how many forces the
// total is made of (the chosen force already taken out of a comparator),
// leftOut how many of them lack a window.
func LikeForLike(members, leftOut int) bool {
	return members > 0 && leftOut >= 0 && leftOut < members && leftOut <= MaxLeftOut && 2*leftOut < members
}
