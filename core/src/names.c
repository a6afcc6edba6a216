/*
 * Names as text: "Given von Family", "von Family, Given", suffixes,
 * organisations. One splitter for plain text and for BibTeX's rules
 * (CW_NAME_PARSE_BIBTEX); it returns spans, so a reader decodes the parts
 * itself, and cw_name_parse copies them for readers whose text is plain.
 */
#include <string.h>

#include "internal.h"

enum {
	MAX_WORDS = 64,
	ORG_SCAN = 512,    /* bytes of a part looked at for organisation words */
	ORG_LONG = 256,    /* a name this long without a comma is no person's */
	PARTICLE_MAX = 16, /* longest word tried as a capitalised particle */
};

typedef struct span {
	size_t off, len;
} span;

typedef struct splitter {
	const char *s;
	unsigned flags;
	cw_name_word_fn *is_particle;
	void *ud;
} splitter;

static int is_ws(char c)
{
	return c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t'; /* \t \n \v \f \r */
}

static int ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int bibtex(const splitter *sp)
{
	return (sp->flags & CW_NAME_PARSE_BIBTEX) != 0;
}

static span trim(const splitter *sp, span x)
{
	while (x.len && is_ws(sp->s[x.off])) {
		x.off++;
		x.len--;
	}
	while (x.len && is_ws(sp->s[x.off + x.len - 1]))
		x.len--;
	return x;
}

/* The bytes from the start of a to the end of b. */
static span join(span a, span b)
{
	return (span){a.off, b.off + b.len - a.off};
}

static cw_name_span out_span(span x)
{
	return (cw_name_span){x.len ? x.off : 0, x.len};
}

/*
 * Byte classes of the scans below: white space, BibTeX's tie and braces,
 * and the comma. A scan steps over bytes of class 0 with one load each.
 */
enum { C_WS = 1, C_TIE = 2, C_OPEN = 4, C_CLOSE = 8, C_COMMA = 16 };
static const unsigned char byte_class[256] = {
    ['\t'] = C_WS, ['\n'] = C_WS, ['\v'] = C_WS,  ['\f'] = C_WS,   ['\r'] = C_WS,
    [' '] = C_WS,  ['~'] = C_TIE, ['{'] = C_OPEN, ['}'] = C_CLOSE, [','] = C_COMMA,
};

/* The classes that end a word: white space, and with BibTeX's rules the tie and braces. */
static unsigned word_classes(const splitter *sp)
{
	return bibtex(sp) ? C_WS | C_TIE | C_OPEN | C_CLOSE : C_WS;
}

/*
 * Splits x into words at white space (and '~' with BibTeX's rules) outside
 * braces, up to the first comma outside braces: *comma is its offset, or
 * the end of x without one. Words past max join the last one.
 */
static size_t split_words(const splitter *sp, span x, span *w, size_t max, size_t *comma)
{
	const unsigned char *s = (const unsigned char *)sp->s;
	const unsigned stop = word_classes(sp) | C_COMMA, gap = stop & (C_WS | C_TIE);
	size_t count = 0, i = x.off, end = x.off + x.len;
	for (;;) {
		while (i < end && (byte_class[s[i]] & gap))
			i++;
		if (i == end || s[i] == ',')
			break;
		size_t start = i;
		int depth = 0; /* a word starts outside braces: it ended at level 0 */
		for (; i < end; i++) {
			unsigned k = byte_class[s[i]] & stop;
			if (!k)
				continue;
			if (depth == 0 && (k & (gap | C_COMMA)))
				break;
			if (k & C_OPEN)
				depth++;
			else if ((k & C_CLOSE) && depth > 0)
				depth--;
		}
		if (count < max)
			w[count++] = (span){start, i - start};
		else
			w[max - 1].len = i - w[max - 1].off; /* too many: the rest joins the last */
		if (i < end && s[i] == ',')
			break;
	}
	*comma = i;
	return count;
}

/* --- word lists (plain text) ------------------------------------------- */

static const char *const particles[] = {"van", "von", "de",  "der", "den", "del", "della", "delle",
                                        "dei", "di",  "da",  "do",  "dos", "das", "du",    "des",
                                        "le",  "la",  "ten", "ter", "te",  "bin", "ibn",   "al",
                                        "el",  "zu",  "vom", "op",  "'t",  "y",   NULL};

static const char *const suffixes[] = {"Jr.", "Jr", "Sr.",  "Sr",   "II", "III",
                                       "IV",  "V",  "Jun.", "Sen.", NULL};

static int in_list(const char *w, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
			return 1;
	return 0;
}

/*
 * Words that make a creator an organisation, matched on lower-case ASCII
 * (other bytes as they are). Strong words are never a personal name: the
 * stems match inside words too ("Fachhochschule", "Max-Planck-Gesellschaft",
 * "Universitätsklinikum"), the short ones only whole. Weak words are also
 * surnames ("Press, Frank", "Council, John", "Bureau, Anne"): they count in
 * a family part of two words or more, or in a name without a comma.
 */
static const char *const org_stems[] = {
    "universit",     "univerzit",  "institut",    "laborator",    "department",   "departament",
    "département",   "faculty",    "facult",      "fakult",       "hochschule",   "hospital",
    "klinik",        "ministry",   "ministerium", "ministerio",   "ministère",    "academy",
    "academi",       "académi",    "akadem",      "consortium",   "organization", "organisation",
    "organizaci",    "organizaç",  "association", "asociaci",     "associaç",     "associazione",
    "foundation",    "fundaci",    "fundaç",      "fondation",    "stiftung",     "society",
    "société",       "sociedad",   "società",     "gesellschaft", "committee",    "comité",
    "commission",    "agency",     "secretariat", "federation",   "fédération",   "federaci",
    "collaboration", "initiative", "network",     "observator",   "government",   "museum",
    "library",       "bibliothe",  "biblioteca",  "erasmus mc",   "on behalf of", NULL};
static const char *const org_whole[] = {"inc", "ltd", "llc",           "plc",       "gmbh",
                                        "e.v", "s.a", "investigators", "consortia", NULL};
static const char *const org_weak[] = {
    "group",       "gruppe",  "groupe",   "grupo",   "team",     "staff",
    "office",      "service", "services", "trust",   "program",  "programme",
    "project",     "unit",    "division", "board",   "press",    "publishing",
    "publishers",  "bank",    "union",    "centre",  "center",   "centro",
    "zentrum",     "school",  "college",  "council", "bureau",   "company",
    "corporation", "corp",    "authors",  "editors", "alliance", NULL};

/* Word delimiters when looking for organisation words. */
static int org_delim(char c)
{
	return is_ws(c) || c == ',' || c == ';' || c == '(' || c == ')' || c == '/' || c == '&' ||
	       c == '"';
}

/* 1 if stem (lower case) occurs in s[0..n) without regard to ASCII case. */
static int has_stem(const char *s, size_t n, const char *stem)
{
	size_t k = strlen(stem);
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && lower_ascii((unsigned char)s[i + j]) == (unsigned char)stem[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/* 1 if the lower-case form of w[0..n) is in list. */
static int in_list_folded(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++) {
		size_t k = strlen(list[i]);
		if (k != n)
			continue;
		size_t j = 0;
		while (j < k && lower_ascii((unsigned char)w[j]) == (unsigned char)list[i][j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/*
 * How x names an organisation: 2 a strong word, 1 a weak word, 0 none.
 * *words (may be NULL) gets its number of words. Looks at ORG_SCAN bytes.
 */
static int org_level(const splitter *sp, span x, size_t *words)
{
	const char *s = sp->s + x.off;
	size_t len = x.len < ORG_SCAN ? x.len : ORG_SCAN;
	int level = 0;
	size_t nw = 0;
	for (size_t i = 0; org_stems[i] && level < 2; i++)
		if (has_stem(s, len, org_stems[i]))
			level = 2;
	for (size_t i = 0; i < len;) {
		while (i < len && org_delim(s[i]))
			i++;
		if (i == len)
			break;
		size_t b = i;
		while (i < len && !org_delim(s[i]))
			i++;
		size_t wl = i - b;
		nw++;
		while (wl > 1 && s[b + wl - 1] == '.')
			wl--; /* "Inc.", "Ltd." */
		if (in_list_folded(s + b, wl, org_whole))
			level = 2;
		else if (!level && in_list_folded(s + b, wl, org_weak))
			level = 1;
	}
	if (words)
		*words = nw;
	return level;
}

/* A name without a comma that names an organisation. */
static int looks_org(const splitter *sp, span x)
{
	size_t words;
	if (x.len >= ORG_LONG)
		return 1; /* a 256-byte "name" is no person's */
	if (org_level(sp, x, &words))
		return 1;
	/* "The PLOS ONE Staff": no person's name starts with the article */
	const char *s = sp->s + x.off;
	if (words >= 2 && x.len > 4 && in_list_folded(s, 3, (const char *const[]){"the", NULL}) &&
	    s[3] == ' ')
		return 1;
	/* many words without a comma: a body, not a person */
	return words > 5;
}

/* --- particles ---------------------------------------------------------- */

int cw_utf8_case(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? 1 : cp >= 'A' && cp <= 'Z' ? 0 : -1;
	if (cp == 0xAA || cp == 0xBA || cp == 0xB5 || cp == 0xDF)
		return 1; /* ª º µ ß */
	if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7)
		return cp >= 0xE0;
	if (cp >= 0x100 && cp <= 0x17F) {
		/* Latin Extended-A pairs upper/lower, the pairs' parity shifting twice */
		if (cp == 0x138 || cp == 0x149 || cp == 0x17F)
			return 1; /* ĸ ŉ ſ */
		if (cp == 0x178)
			return 0; /* Ÿ */
		int odd = cp & 1;
		return (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E) ? !odd : odd;
	}
	if ((cp >= 0x386 && cp <= 0x38F && cp != 0x387) ||
	    (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2))
		return 0; /* Greek capitals */
	if (cp >= 0x3AC && cp <= 0x3CE)
		return 1;
	if (cp >= 0x400 && cp <= 0x42F)
		return 0; /* Cyrillic */
	if (cp >= 0x430 && cp <= 0x45F)
		return 1;
	return -1;
}

/*
 * BibTeX's test for a "von" word: its first letter at brace level 0, or in
 * a special character ({\'e}, {\ss}), is lower case. Other braced
 * groups are caseless and skipped.
 */
static int bibtex_lower(const char *p, size_t n)
{
	const char *end = p + n;
	while (p < end) {
		if (*p == '{') {
			if (p + 1 < end && p[1] == '\\') {
				/* a special character: the case of its first letter after the
				 * command */
				const char *q = p + 2, *cmd = q;
				while (q < end && ascii_letter(*q))
					q++;
				size_t cl = (size_t)(q - cmd);
				if (cl == 0 && q < end)
					q++; /* \' and the like */
				while (q < end && (is_ws(*q) || *q == '{'))
					q++;
				if (cl > 0 && cl <= 2 && (q >= end || *q == '}'))
					return cw_utf8_case((unsigned char)cmd[0]) ==
					       1; /* {\ss}, {\o}, {\AA} */
				if (q < end && ascii_letter(*q))
					return cw_utf8_case((unsigned char)*q) == 1;
				return cl > 0 && cw_utf8_case((unsigned char)cmd[0]) == 1;
			}
			int depth = 0;
			for (; p < end; p++) {
				if (*p == '{') {
					depth++;
				} else if (*p == '}' && --depth == 0) {
					p++;
					break;
				}
			}
			continue;
		}
		if (*p == '\\') {
			/* a command at level 0 (\"u): what follows it counts */
			p++;
			if (p < end && ascii_letter(*p)) {
				const char *cmd = p;
				while (p < end && ascii_letter(*p))
					p++;
				if (p - cmd > 1 || (p < end && !is_ws(*p) && *p != '{'))
					continue;
			} else if (p < end) {
				p++;
			}
			continue;
		}
		if (ascii_letter(*p))
			return *p >= 'a'; /* most words: no decoding */
		uint32_t cp;
		size_t l = cw_utf8_decode(p, (size_t)(end - p), &cp);
		int c = cw_utf8_case(cp);
		if (c >= 0)
			return c;
		p += l;
	}
	return 0;
}

static int particle(const splitter *sp, span w)
{
	const char *p = sp->s + w.off;
	if (sp->is_particle)
		return sp->is_particle(sp->ud, p, w.len) != 0;
	if (bibtex(sp))
		return bibtex_lower(p, w.len);
	return in_list(p, w.len, particles);
}

/* "La" in "de La Fontaine": a particle in capitals, after another particle. */
static int capital_particle(const splitter *sp, span w)
{
	char low[PARTICLE_MAX];
	if (w.len >= sizeof low)
		return 0;
	for (size_t i = 0; i < w.len; i++)
		low[i] = (char)lower_ascii((unsigned char)sp->s[w.off + i]);
	if (sp->is_particle)
		return sp->is_particle(sp->ud, low, w.len) != 0;
	return in_list(low, w.len, particles);
}

static int suffix_word(const splitter *sp, span w)
{
	return w.len && in_list(sp->s + w.off, w.len, suffixes);
}

/* --- the forms ---------------------------------------------------------- */

/* "Given von Family": BibTeX's von part, from the first particle to the last but the last word. */
static void direct_bibtex(const splitter *sp, const span *w, size_t nw, cw_name_parts *out)
{
	size_t vs = nw, ve = nw;
	for (size_t i = 0; i + 1 < nw; i++) {
		if (particle(sp, w[i])) {
			if (vs == nw)
				vs = i;
			ve = i + 1;
		}
	}
	if (vs < nw) {
		if (vs > 0)
			out->given = out_span(join(w[0], w[vs - 1]));
		out->particle = out_span(join(w[vs], w[ve - 1]));
		out->family = out_span(join(w[ve], w[nw - 1]));
	} else {
		if (nw > 1)
			out->given = out_span(join(w[0], w[nw - 2]));
		out->family = out_span(w[nw - 1]);
	}
}

/* "Given von Family Jr.": particles are the known words just before the last one. */
static void direct_plain(const splitter *sp, const span *w, size_t nw, cw_name_parts *out)
{
	if (nw > 2 && suffix_word(sp, w[nw - 1])) {
		out->suffix = out_span(w[nw - 1]);
		nw--;
	}
	if (nw == 1) {
		out->family = out_span(w[0]);
		return;
	}
	size_t fam = nw - 1;
	while (fam > 1 && (particle(sp, w[fam - 1]) || (fam > 2 && particle(sp, w[fam - 2]) &&
	                                                capital_particle(sp, w[fam - 1]))))
		fam--;
	out->given = out_span(join(w[0], w[fam - 1]));
	if (fam < nw - 1)
		out->particle = out_span(join(w[fam], w[nw - 2]));
	out->family = out_span(w[nw - 1]);
}

/* The family part of "von Family, Given", from its words. */
static void family_part(const splitter *sp, const span *w, size_t nw, cw_name_parts *out)
{
	if (nw == 0)
		return;
	if (bibtex(sp)) {
		/* the von part ends at the last particle that is not the last word */
		size_t ve = 0;
		for (size_t i = 0; i + 1 < nw; i++)
			if (particle(sp, w[i]))
				ve = i + 1;
		if (ve)
			out->particle = out_span(join(w[0], w[ve - 1]));
		out->family = out_span(join(w[ve], w[nw - 1]));
		return;
	}
	/* leading particles ("van de Bovenkamp"), else trailing ones: the index form
	 * "Bovenkamp van de" */
	size_t lead = 0;
	while (lead < nw - 1 &&
	       (particle(sp, w[lead]) || (lead > 0 && capital_particle(sp, w[lead]))))
		lead++;
	if (lead) {
		out->particle = out_span(join(w[0], w[lead - 1]));
		out->family = out_span(join(w[lead], w[nw - 1]));
		return;
	}
	size_t trail = nw;
	while (trail > 1 && particle(sp, w[trail - 1]))
		trail--;
	out->family = out_span(join(w[0], w[trail - 1]));
	if (trail < nw)
		out->particle = out_span(join(w[trail], w[nw - 1]));
}

/* The first comma of x outside braces: its offset, or the end of x. */
static size_t find_comma(const splitter *sp, span x)
{
	const unsigned char *s = (const unsigned char *)sp->s;
	const unsigned stop = bibtex(sp) ? C_OPEN | C_CLOSE | C_COMMA : C_COMMA;
	int depth = 0;
	size_t i = x.off, end = x.off + x.len;
	for (; i < end; i++) {
		unsigned k = byte_class[s[i]] & stop;
		if (!k)
			continue;
		if (k & C_OPEN)
			depth++;
		else if (k & C_CLOSE)
			depth -= depth > 0;
		else if (depth == 0)
			break; /* a comma */
	}
	return i;
}

/* 1 if x ends a name as an organisation would: a strong word, or a weak one of several words. */
static int org_part(const splitter *sp, span x)
{
	size_t words;
	int level = org_level(sp, x, &words);
	return level == 2 || (level == 1 && words >= 2);
}

/* A word of initials without periods, as Vancouver writes them: "J", "DS", "JMA". */
static int bare_initials(const splitter *sp, span w)
{
	if (w.len == 0 || w.len > 4)
		return 0;
	for (size_t i = w.off; i < w.off + w.len; i++)
		if (sp->s[i] < 'A' || sp->s[i] > 'Z')
			return 0;
	return 1;
}

/* "Family [Family...] INITIALS" (Vancouver, no comma): 1 when the last word is initials. */
static int initials_last(const splitter *sp, const span *w, size_t nw, cw_name_parts *out)
{
	if (nw < 2 || !bare_initials(sp, w[nw - 1]))
		return 0;
	/* "Goldberg DS": the initials are the given name, the words before them the family */
	out->given = out_span(w[nw - 1]);
	family_part(sp, w, nw - 1, out);
	return 1;
}

int cw_name_split(cw_name_parts *out, const char *text, size_t len, unsigned flags,
                  cw_name_word_fn *is_particle, void *ud)
{
	if (!out || !text || out->struct_size < sizeof(cw_name_parts))
		return CW_EINVAL;
	if (len == CW_NUL)
		len = strlen(text);
	uint32_t size = out->struct_size;
	memset(out, 0, sizeof *out);
	out->struct_size = size;
	splitter sp = {text, flags, is_particle, ud};
	span all = trim(&sp, (span){0, len});
	/* trailing commas ("May, Keith,") are dropped, as biber does */
	while (all.len &&
	       (text[all.off + all.len - 1] == ',' || is_ws(text[all.off + all.len - 1])))
		all.len--;
	if (!all.len)
		return CW_EFORMAT;
	/* the first two commas outside braces divide the parts; the words
	 * before the first are the family part's (or the whole name's) */
	span w[MAX_WORDS];
	size_t commas[2], end = all.off + all.len;
	size_t nw = split_words(&sp, all, w, MAX_WORDS, &commas[0]);
	size_t nc = 0;
	if (commas[0] < end) {
		commas[1] = find_comma(&sp, (span){commas[0] + 1, end - commas[0] - 1});
		nc = commas[1] < end ? 2 : 1;
	}
	if (nc == 0) {
		if ((flags & CW_NAME_PARSE_ORGS) && looks_org(&sp, all)) {
			out->literal = out_span(all);
			return CW_OK;
		}
		if (!nw)
			return CW_EFORMAT; /* only ties: "~~" */
		if (bibtex(&sp) && nw == 1 && text[w[0].off] == '{' &&
		    text[w[0].off + w[0].len - 1] == '}') {
			out->literal = out_span(w[0]); /* {World Health Organization} */
			return CW_OK;
		}
		if (bibtex(&sp))
			direct_bibtex(&sp, w, nw, out);
		else if (!((flags & CW_NAME_PARSE_INITIALS_LAST) && initials_last(&sp, w, nw, out)))
			direct_plain(&sp, w, nw, out);
		return CW_OK;
	}
	span family = trim(&sp, (span){all.off, commas[0] - all.off});
	size_t rest = commas[0] + 1;
	span second = trim(&sp, (span){rest, (nc == 2 ? commas[1] : end) - rest});
	span third = nc == 2 ? trim(&sp, (span){commas[1] + 1, end - commas[1] - 1}) : (span){0, 0};
	if (flags & CW_NAME_PARSE_ORGS) {
		/* an organisation with commas: "Universität Wien, Institut für Geschichte" */
		size_t fw;
		int fam_org = org_level(&sp, family, &fw);
		if (fam_org == 2 || (fam_org == 1 && fw >= 2) ||
		    org_level(&sp, second, NULL) == 2) {
			out->literal = out_span(all);
			return CW_OK;
		}
		/* "Smith, John, University of Oxford": a person and an affiliation */
		if (nc == 2 && (flags & CW_NAME_PARSE_AFFILIATION) && org_part(&sp, third)) {
			out->affiliation = out_span(third);
			nc = 1;
			third = (span){0, 0};
		}
	}
	out->commas = (uint32_t)nc;
	if (nc == 2) {
		/* BibTeX: "von Last, Jr, First"; plain text: the suffix is the part
		 * that is a suffix word, else the last */
		if (bibtex(&sp) || suffix_word(&sp, second)) {
			out->suffix = out_span(second);
			out->given = out_span(third);
		} else {
			out->given = out_span(second);
			out->suffix = out_span(third);
			out->flags |= CW_NAME_COMMA_SUFFIX;
		}
	} else {
		out->given = out_span(second);
	}
	if (!family.len && !bibtex(&sp)) {
		/* ", Given": nothing to call the family */
		if (!out->given.len)
			return CW_EFORMAT;
		out->literal = out->given;
		out->given = out->suffix = (cw_name_span){0, 0};
		out->flags = 0;
		return CW_OK;
	}
	family_part(&sp, w, nw, out);
	return CW_OK;
}

/* Appends x with white space runs made one space (and BibTeX's braces and ties resolved). */
static size_t put_part(cw_buf *b, const char *s, cw_name_span x, unsigned flags, int *rc)
{
	if (!x.len)
		return 0;
	size_t at = b->len + 1, start = b->len;
	int space = 0;
	for (size_t i = x.off; i < x.off + x.len && *rc == CW_OK; i++) {
		char c = s[i];
		if (flags & CW_NAME_PARSE_BIBTEX) {
			if (c == '\\' && i + 1 < x.off + x.len &&
			    (s[i + 1] == '{' || s[i + 1] == '}' || s[i + 1] == '~')) {
				c = s[++i]; /* an escaped brace or tie is the character */
			} else if (c == '{' || c == '}') {
				continue;
			} else if (c == '~') {
				c = ' ';
			}
		}
		if (is_ws(c) || c == '\0') { /* a C string cannot hold a NUL: it parts words */
			space = b->len > start;
			continue;
		}
		if (space)
			*rc = cw_buf_putc(b, ' ');
		space = 0;
		if (*rc == CW_OK)
			*rc = cw_buf_putc(b, c);
	}
	if (*rc == CW_OK && b->len == start)
		return 0; /* only braces */
	if (*rc == CW_OK)
		*rc = cw_buf_putc(b, '\0');
	return at;
}

int cw_name_parse(cw_name *out, cw_buf *store, const char *text, size_t len, unsigned flags,
                  const char **affiliation)
{
	if (affiliation)
		*affiliation = NULL;
	if (!out || !store || !text)
		return CW_EINVAL;
	cw_name_parts p = CW_NAME_PARTS_INIT;
	int rc = cw_name_split(&p, text, len, flags, NULL, NULL);
	if (rc)
		return rc;
	/* offsets + 1 first: store may move while it grows */
	size_t given = put_part(store, text, p.given, flags, &rc);
	size_t particle = put_part(store, text, p.particle, flags, &rc);
	size_t family = put_part(store, text, p.family, flags, &rc);
	size_t suffix = put_part(store, text, p.suffix, flags, &rc);
	size_t literal = put_part(store, text, p.literal, flags, &rc);
	size_t aff = put_part(store, text, p.affiliation, flags, &rc);
	if (rc)
		return rc;
#define AT(off) ((off) ? store->data + (off)-1 : NULL)
	if (!given && !family && particle) {
		family = particle; /* "van": the particle is all there is */
		particle = 0;
	}
	if (!given && !particle && !family && !suffix && !literal)
		return CW_EFORMAT;
	out->given = AT(given);
	out->non_dropping_particle = AT(particle);
	out->family = AT(family);
	out->suffix = AT(suffix);
	out->literal = AT(literal);
	out->flags |= p.flags;
	if (affiliation)
		*affiliation = AT(aff);
#undef AT
	return CW_OK;
}
