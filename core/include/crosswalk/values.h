/*
 * crosswalk/values.h - the small structured values a record holds: names,
 * dates, list items, affiliations, funding, passthrough fields.
 *
 * Each struct starts with struct_size and has an _INIT macro. A reader fills
 * one on the stack (strings may point into its own buffers) and hands it to
 * a record setter, which copies everything. A getter returns a const pointer
 * borrowed from the record, valid until the record is freed or that field is
 * changed. Structs only grow at the end.
 */
#ifndef CROSSWALK_VALUES_H
#define CROSSWALK_VALUES_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** cw_name.flags */
enum cw_name_flag {
	CW_NAME_COMMA_SUFFIX = 1u << 0,    /**< CSL comma-suffix: "Smith, Jr." */
	CW_NAME_STATIC_ORDERING = 1u << 1, /**< CSL static-ordering: never inverted */
	CW_NAME_PARSE_NAMES = 1u << 2,     /**< CSL parse-names: true */
	CW_NAME_NO_PARSE_NAMES = 1u << 3,  /**< CSL parse-names: false */
	CW_NAME_ETAL = 1u << 4,            /**< stands for "and others"; no other parts */
	CW_NAME_CORRESPONDING = 1u << 5,   /**< corresponding author */
	CW_NAME_EQUAL_CONTRIB = 1u << 6    /**< contributed equally */
};

/**
 * A person or an organisation. An organisation (or any name that must not be
 * split) has only literal set.
 */
typedef struct cw_name {
	uint32_t struct_size;
	const char *family;
	const char *given;
	const char *dropping_particle;     /**< "de" in "Jean de La Fontaine" when dropped */
	const char *non_dropping_particle; /**< "van" in "Ludwig van Beethoven" */
	const char *suffix;                /**< "Jr.", "III" */
	const char *literal;               /**< organisation or unsplittable name */
	uint32_t flags;                    /**< enum cw_name_flag bits */
	const char *orcid;                 /**< https://orcid.org/0000-... form */
	const char *email;
	const char *const *affiliation_ids; /**< ids of the record's affiliations */
	size_t affiliation_count;
	const char *degrees;     /**< "PhD", "D.Sc. (Political Science)" */
	const char *role;        /**< role as the source words it ("Conceptualization") */
	const char *extra_format; /**< format that owns extra, e.g. "csljson" */
	const char *extra;        /**< that format's data the model has no place for */
} cw_name;
#define CW_NAME_INIT {.struct_size = sizeof(cw_name)}

/** cw_date.flags */
enum cw_date_flag {
	CW_DATE_CIRCA = 1u << 0,      /**< approximate ("circa", EDTF "~") */
	CW_DATE_UNCERTAIN = 1u << 1,  /**< EDTF "?" */
	CW_DATE_OPEN_START = 1u << 2, /**< a range with an open or unknown start ("../2018") */
	CW_DATE_OPEN_END = 1u << 3,   /**< a range with an open or unknown end ("2018/..") */
	CW_DATE_UNSPECIFIED = 1u << 4 /**< EDTF unspecified digits: "19XX" is the range 1900/1999 */
};

/**
 * A date or a date range, as precise as the source and no more.
 * parts says how many of year, month, day are known (0..3); end_parts the
 * same for the range end (0 = not a range). Months 13-16 and 21-24 are
 * seasons (spring, summer, autumn, winter) as in CSL.
 */
typedef struct cw_date {
	uint32_t struct_size;
	int32_t year, month, day;
	uint8_t parts;
	int32_t end_year, end_month, end_day;
	uint8_t end_parts;
	uint32_t flags;      /**< enum cw_date_flag bits */
	const char *season;  /**< season as given ("1".."4", "Spring"); NULL if none */
	const char *literal; /**< text to show as is; the only content when unparseable */
	const char *raw;     /**< unparsed date text (CSL raw) kept for its writer */
	const char *extra_format;
	const char *extra;
} cw_date;
#define CW_DATE_INIT {.struct_size = sizeof(cw_date)}

/**
 * One element of a LIST or RICH_LIST field: a keyword, a translated title, an
 * extra abstract, an identifier...
 */
typedef struct cw_item {
	uint32_t struct_size;
	const char *value;  /**< never NULL once stored */
	const char *lang;   /**< language tag, or NULL */
	const char *type;   /**< kind of item within the field, or NULL */
	const char *scheme; /**< vocabulary or identifier scheme, or NULL */
} cw_item;
#define CW_ITEM_INIT {.struct_size = sizeof(cw_item)}

/** An institution a name is affiliated with. */
typedef struct cw_affiliation {
	uint32_t struct_size;
	const char *id;          /**< what cw_name.affiliation_ids refer to */
	const char *text;        /**< the whole affiliation as one line */
	const char *institution;
	const char *department;
	const char *address;     /**< street address lines */
	const char *city;
	const char *region;      /**< state or province */
	const char *postal_code;
	const char *country;
	const char *country_code; /**< ISO 3166-1 alpha-2 */
	const char *ror;          /**< https://ror.org/... */
	const char *other_id;     /**< another institution id (ISNI, Ringgold, GRID) */
	const char *other_id_type;
} cw_affiliation;
#define CW_AFFILIATION_INIT {.struct_size = sizeof(cw_affiliation)}

/** A funding source. */
typedef struct cw_funding {
	uint32_t struct_size;
	const char *funder;    /**< funder name */
	const char *funder_id; /**< Crossref Funder Registry DOI or ROR URL */
	const char *award_id;
	const char *award_title;
} cw_funding;
#define CW_FUNDING_INIT {.struct_size = sizeof(cw_funding)}

/**
 * A source field the canonical model has no place for, kept so that the
 * writer of the same format can write it back. value is that format's own
 * text for it (for CSL-JSON, the JSON text of the value).
 */
typedef struct cw_passthrough {
	uint32_t struct_size;
	const char *format; /**< plugin format name, e.g. "bibtex" */
	const char *name;   /**< field name in that format */
	const char *value;
} cw_passthrough;

/**
 * Parses an ISO 8601 / EDTF (level 0 and the common level 1 forms) date or
 * interval: "2008", "2008-02", "2008-02-29", "2008-02-29T10:00:00Z" (time
 * ignored), "2008/2010", "2008-01/..", "../2008", "2008~", "2008?",
 * "2008-21" (season), unspecified digits "19XX" (read as the range
 * 1900/1999; an unspecified month or day as not known) and an earlier
 * draft's "1999/open", "1998/unknown", "unknown/2004" (open ends). On
 * success fills out (strings left NULL) and returns
 * CW_OK; CW_EFORMAT if the text is not such a date (out untouched).
 */
CW_API int cw_date_parse_iso(cw_date *out, const char *text, size_t len);

/**
 * Writes the date as EDTF ("2008-02-29", "2008/2010", "2008~", "2018/..")
 * into b. CW_EINVAL if the date has no parts.
 */
CW_API int cw_date_format_iso(const cw_date *d, cw_buf *b);

/* --- dates a reader meets in other forms (ABI 1.3) --- */

/** cw_date_parse flags */
enum cw_date_parse_flag {
	/**
	 * Read an all-numeric date whose first two numbers could each be the
	 * month ("05/11/2010") month first, as in the United States. Without
	 * it such a date is refused as ambiguous, and only one that can be
	 * read one way ("25/12/2008", "12/25/2008") is taken.
	 */
	CW_DATE_PARSE_MONTH_FIRST = 1u << 0
};

/**
 * Parses a date as people and the formats that are not ISO 8601 write it,
 * into out (strings left NULL), after trimming white space:
 * - every form cw_date_parse_iso takes;
 * - numbers: "2008/02/29", "2008.02.29", "2008-2-29", "2008/02";
 *   day first "29/02/2008", "29.02.2008" (see CW_DATE_PARSE_MONTH_FIRST);
 * - RIS's "YYYY/MM/DD/other" with empty parts left out: "2008/02/29/",
 *   "2008///", "2008/02//", "2008///Spring" (text after the third slash
 *   that is no season is not read);
 * - month names (cw_month_from_name): "29 February 2008", "29 Feb. 2008",
 *   "February 29, 2008", "February 2008", "Feb 2008", seasons
 *   "Spring 2008" (month 21-24, as EDTF);
 * - approximate: "circa 2008", "ca. 2008", "c2008", and "[2008]";
 * - ranges of any two of these, the end after the start: "2008-2010",
 *   "2008–2010", "2008 - 2010", "2008/2009", "January–March 2008",
 *   "5-7 March 2008".
 * Years outside ISO forms have four digits.
 *
 * Returns CW_OK; CW_EFORMAT when the text is no such date (out
 * untouched). When it has the form of a date but names none - a day past
 * the end of its month ("2008-02-30", "30 February 2008"), a month 13, a
 * range that ends before it starts, an ambiguous "05/11/2010" - why (may
 * be NULL) gets a one-line reason appended ("there is no 30 February
 * 2008"), for the reader's warning; for other text why is left as it was.
 * @param text borrowed; len may be CW_NUL.
 */
CW_API int cw_date_parse(cw_date *out, const char *text, size_t len, unsigned flags, cw_buf *why);

/**
 * Checks a date a reader put together from parts (JATS <day>, <month>,
 * <year>; CSL date-parts): each month is 1-12 or a season 21-24, each day
 * one its month has, a range ends no earlier than it starts. Returns CW_OK,
 * or CW_EFORMAT with a one-line reason appended to why (may be NULL).
 */
CW_API int cw_date_check(const cw_date *d, cw_buf *why);

/** Days in month (1-12) of year, proleptic Gregorian; 0 for another month. */
CW_API int cw_date_days_in_month(int32_t year, int month);

/* --- month names (ABI 1.3) --- */

/** cw_month_name styles */
enum cw_month_style {
	CW_MONTH_ABBREV = 1u << 0, /**< three letters: "Feb" */
	CW_MONTH_LOWER = 1u << 1   /**< lower case: "february", "feb" */
};

/**
 * The month (1-12) or season (21-24: spring, summer, autumn, winter, as
 * EDTF numbers them) a word names, without regard to ASCII case: a month's
 * full name or any prefix of it of three letters or more ("Jan", "Sept",
 * "Febr"), a season's name ("Fall" too); one trailing '.' is allowed. 0
 * for any other word. English only; see docs/plugin-guide.md.
 * @param s borrowed; len may be CW_NUL.
 */
CW_API int cw_month_from_name(const char *s, size_t len);

/**
 * The name of month 1-12 or season 21-24 ("February", or with style
 * "Feb", "february", "feb"); a static string, NULL for another number.
 */
CW_API const char *cw_month_name(int month, unsigned style);

/* --- personal and corporate names (ABI 1.3) --- */

/** cw_name_parse / cw_name_split flags */
enum cw_name_parse_flag {
	/**
	 * Recognise organisations by their words ("University", "Institut",
	 * "Inc.", "Consortium", "Ministry"...; "Press" or "Council" only where
	 * they cannot be a surname): such a name is one literal, commas and
	 * all ("Universität Wien, Institut für Geschichte").
	 */
	CW_NAME_PARSE_ORGS = 1u << 0,
	/**
	 * With CW_NAME_PARSE_ORGS: a third comma part that names an
	 * organisation is the person's affiliation, not their suffix
	 * ("Smith, John, University of Oxford").
	 */
	CW_NAME_PARSE_AFFILIATION = 1u << 1,
	/**
	 * BibTeX's rules instead of plain text's: braces group words and
	 * protect them ("{van Gogh}"), '~' separates words as a space does, a
	 * name written whole in braces is a literal ("{World Health
	 * Organization}"), a particle ("von part") is a word whose first letter
	 * at brace level 0, or in a special character ("{\\'e}", "{\\ss}"), is
	 * lower case, the particles run from the first such word to the last
	 * that is not the last word, and three parts are "von Last, Jr, First".
	 * (What stays with a BibTeX reader: "and" between names, "others", the
	 * biblatex extended form "family=..., given=...", LaTeX in the parts.)
	 * Without it: particles are known words ("van", "de", "von", "da",
	 * "ibn"..., and "La" after "de"), those just before the surname in
	 * "Given von Family", those leading the family part in "von Family,
	 * Given" or ending it in the index form "Family von, Given"; suffixes
	 * are known words ("Jr.", "III") wherever they stand ("John Smith Jr.",
	 * "Smith, Jr., John", "Smith, John, Jr.").
	 */
	CW_NAME_PARSE_BIBTEX = 1u << 2,
	/**
	 * ABI 1.5. Vancouver's "Family INITIALS" without a comma: when a name
	 * of two words or more has no comma and its last word is one to four
	 * capital letters A-Z ("Goldberg DS", "Von Korff M", "SIMÕES JC"),
	 * that word is the given name and the words before it the family
	 * (with its particles, as in "von Family, Given"). Not with
	 * CW_NAME_PARSE_BIBTEX.
	 */
	CW_NAME_PARSE_INITIALS_LAST = 1u << 3
};

/** A part of a parsed name: bytes [off, off + len) of the text; len 0 = absent. */
typedef struct cw_name_span {
	size_t off, len;
} cw_name_span;

/** What cw_name_split found, as spans of the text it was given. */
typedef struct cw_name_parts {
	uint32_t struct_size;
	cw_name_span given, particle, family, suffix;
	cw_name_span literal;     /**< an organisation or braced name: the only part */
	cw_name_span affiliation; /**< CW_NAME_PARSE_AFFILIATION: the trailing organisation */
	uint32_t flags;           /**< cw_name flags the form implies (CW_NAME_COMMA_SUFFIX) */
	uint32_t commas;          /**< the name's form: 0 "Given Family", 1 "Family, Given", 2 */
} cw_name_parts;
#define CW_NAME_PARTS_INIT {.struct_size = sizeof(cw_name_parts)}

/**
 * Tells a particle from other words, for formats whose words need their
 * own reading (BibTeX's "{\'E}mile" starts with a capital inside braces).
 * Returns 1 when text[0..len) is a particle. ud is cw_name_split's.
 */
typedef int cw_name_word_fn(void *ud, const char *word, size_t len);

/**
 * Splits one name into its parts without copying: the spans point into
 * text, so a reader whose text needs decoding (LaTeX, entities) decodes
 * each part itself. The forms: "Given [particles] Family [Suffix]",
 * "[particles] Family, Given", "Family, Suffix, Given" and "Family, Given,
 * Suffix" (see the flags for which is which), an organisation, a braced
 * name. Commas inside braces (CW_NAME_PARSE_BIBTEX) do not count; commas
 * after the second stay in the third part; trailing commas are dropped
 * ("May, Keith,"); at most 64 words are told apart, the rest joins the
 * last. is_particle (may be NULL) replaces the built-in test of a word
 * for a particle.
 * @return CW_OK; CW_EFORMAT when the text has no name (empty, or only
 * white space and commas); CW_EINVAL for a NULL argument.
 */
CW_API int cw_name_split(cw_name_parts *out, const char *text, size_t len, unsigned flags,
                         cw_name_word_fn *is_particle, void *ud);

/**
 * Parses one name into out (cw_name_split, then each part copied into
 * store with its white space runs made one space (a NUL byte, which the
 * part's C string cannot hold, counts as white space), and with
 * CW_NAME_PARSE_BIBTEX its grouping braces removed). out's strings point
 * into store: valid until store changes. Only given, family,
 * non_dropping_particle, suffix, literal and flags are set.
 * @param text borrowed; len may be CW_NUL.
 * @param affiliation (may be NULL) receives the affiliation part, also in
 * store, or NULL.
 * @return CW_OK, CW_EFORMAT (no name), CW_ENOMEM, CW_EINVAL.
 */
CW_API int cw_name_parse(cw_name *out, cw_buf *store, const char *text, size_t len,
                         unsigned flags, const char **affiliation);

#ifdef __cplusplus
}
#endif
#endif
