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
	CW_DATE_OPEN_END = 1u << 3    /**< a range with an open or unknown end ("2018/..") */
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
 * "2008-21" (season). On success fills out (strings left NULL) and returns
 * CW_OK; CW_EFORMAT if the text is not such a date (out untouched).
 */
CW_API int cw_date_parse_iso(cw_date *out, const char *text, size_t len);

/**
 * Writes the date as EDTF ("2008-02-29", "2008/2010", "2008~", "2018/..")
 * into b. CW_EINVAL if the date has no parts.
 */
CW_API int cw_date_format_iso(const cw_date *d, cw_buf *b);

#ifdef __cplusplus
}
#endif
#endif
