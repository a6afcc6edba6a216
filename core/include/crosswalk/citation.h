/*
 * crosswalk/citation.h - reference strings into records (ABI 1.5).
 *
 * A reference as people write it ("Smith J, Doe A. Title. J Biol. 2010;
 * 3(2):1-10.") is read into the record's fields by a parser in the core,
 * so that every reader and filter that meets unstructured references (the
 * JATS reader's mixed citations, the parse-citations filter, the text
 * reader) reads them the same way. Its words (particles, month names,
 * "et al.", editor markers, genre words, cues such as "In:" or "Available
 * from") are a table, formats/citations.yaml (format name "citations"),
 * which a --crosswalk file with "format: citations" extends; see
 * docs/formats/text.md for the rules and what the parser gets wrong.
 */
#ifndef CROSSWALK_CITATION_H
#define CROSSWALK_CITATION_H

#include "common.h"
#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_session cw_session;
typedef struct cw_record cw_record;
typedef struct cw_table_schema cw_table_schema;

/** cw_citation_parse flags. */
enum cw_citation_flag {
	/**
	 * Do not emit the "inferred" note (the record is still marked in
	 * custom.inferred): for a caller that reports the parse itself.
	 */
	CW_CITATION_QUIET = 1u << 0
};

/**
 * The passthrough entry that marks a record whose fields a parse inferred:
 * format "csljson", name "custom.inferred" (so CSL-JSON writes it as
 * "custom": {"inferred": [...]} and reads it back), value a JSON array of
 * the field names inferred. Other writers do not report it as not carried:
 * the "inferred" diagnostic tells of it.
 */
#define CW_CITATION_MARK_FORMAT "csljson"
#define CW_CITATION_MARK_NAME "custom.inferred"

/**
 * Parses the reference text in field `from` of rec (CW_FIELD_ORIGINAL_CITATION
 * normally, a RICH field whose italic spans are hints, e.g. an italic journal
 * or book title; CW_FIELD_NOTE for a BibTeX entry with only a note) into rec's
 * fields. Fields rec already has are never overwritten; the text itself is
 * kept where it was. When a field was inferred, the record is marked (see
 * CW_CITATION_MARK_NAME) and a note of code "inferred" names the fields.
 * A leading "---." or "———." (the previous reference's authors) is passed
 * over and no author is set: the caller, which knows the previous record,
 * may copy them.
 * @param s the stage's session: its citations table (cw_session_table) and
 * where the note goes. @param rec borrowed, filled.
 * @return CW_OK, also when nothing is recognised (the record keeps just its
 * text); CW_EINVAL (NULL argument, `from` not a text field), CW_ENOMEM, or
 * CW_EFORMAT when the citations table (an override) does not fit its schema.
 */
CW_API int cw_citation_parse(cw_session *s, cw_record *rec, enum cw_field from, unsigned flags);

/**
 * Same as cw_citation_parse for plain text: sets CW_FIELD_ORIGINAL_CITATION
 * of rec to text first (replacing it). @param text borrowed; len may be CW_NUL.
 */
CW_API int cw_citation_parse_text(cw_session *s, cw_record *rec, const char *text, size_t len,
                                  unsigned flags);

/**
 * The field a parse would read: CW_FIELD_ORIGINAL_CITATION when rec has it
 * and none of author, editor, title, container-title, issued;
 * CW_FIELD_NOTE when note is rec's only content field (id, citation-key,
 * citation-label, citation-number and type do not count); else
 * CW_FIELD_NONE (also for NULL).
 */
CW_API enum cw_field cw_citation_source(const cw_record *rec);

/** The schema of the citations table (formats/citations.yaml); borrowed, static. */
CW_API const cw_table_schema *cw_citation_table_schema(void);

#ifdef __cplusplus
}
#endif
#endif
