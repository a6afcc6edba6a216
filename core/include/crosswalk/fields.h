/*
 * crosswalk/fields.h - the canonical record's fields and item types.
 *
 * CW_FIELDS is the single source of truth: every field of the record, its
 * kind, its stable name and a one-line meaning. Names of fields that are
 * CSL 1.0.2 variables are the CSL variable names; the others are crosswalk
 * extensions (CSL = 0) and use the same spelling style. The documentation
 * table (docs/fields.md) and the field metadata in the library are generated
 * from this list.
 *
 * APPEND ONLY: new rows go at the end; a row is never removed or reordered,
 * because the enumerator values are part of the plugin ABI.
 */
#ifndef CROSSWALK_FIELDS_H
#define CROSSWALK_FIELDS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a field holds, which decides the accessor family to use. */
enum cw_kind {
	CW_KIND_NONE = 0,
	CW_KIND_TEXT,         /**< plain UTF-8 text */
	CW_KIND_RICH,         /**< UTF-8 with crosswalk rich-text markers (richtext.h) */
	CW_KIND_NUMBER,       /**< number-like text kept as written: "12", "3-4", "S1" */
	CW_KIND_DATE,         /**< one cw_date */
	CW_KIND_NAMES,        /**< ordered list of cw_name */
	CW_KIND_LIST,         /**< ordered list of cw_item with plain values */
	CW_KIND_RICH_LIST,    /**< ordered list of cw_item with rich values */
	CW_KIND_AFFILIATIONS, /**< ordered list of cw_affiliation */
	CW_KIND_FUNDING,      /**< ordered list of cw_funding */
	CW_KIND_RECORDS       /**< child records (the reference list) */
};

/* X(ID, KIND, "name", CSL, "meaning") */
#define CW_FIELDS(X)                                                                              \
	X(ID, TEXT, "id", 1, "Identifier of the item in its source: CSL id, BibTeX key, JATS ref id") \
	X(CITATION_KEY, TEXT, "citation-key", 1, "Citation key for use in documents")                 \
	X(CATEGORIES, LIST, "categories", 1, "Categories the item belongs to")                        \
	X(LANGUAGE, TEXT, "language", 1, "Language of the item, a BCP 47 tag where known")            \
	X(TITLE, RICH, "title", 1, "Primary title of the item")                                       \
	X(TITLE_SHORT, RICH, "title-short", 1, "Short form of the title")                             \
	X(CONTAINER_TITLE, RICH, "container-title", 1, "Title of the journal, book or site holding the item") \
	X(CONTAINER_TITLE_SHORT, RICH, "container-title-short", 1, "Abbreviated container title, e.g. ISO 4 journal abbreviation") \
	X(COLLECTION_TITLE, RICH, "collection-title", 1, "Title of the series or collection")        \
	X(VOLUME_TITLE, RICH, "volume-title", 1, "Title of the volume within a multi-volume work")    \
	X(VOLUME_TITLE_SHORT, RICH, "volume-title-short", 1, "Short form of the volume title")        \
	X(ORIGINAL_TITLE, RICH, "original-title", 1, "Title of the original version")                 \
	X(PART_TITLE, RICH, "part-title", 1, "Title of the part of the item cited")                   \
	X(REVIEWED_TITLE, RICH, "reviewed-title", 1, "Title of the reviewed work")                    \
	X(EVENT_TITLE, RICH, "event-title", 1, "Name of the event, e.g. a conference")                \
	X(ABSTRACT, RICH, "abstract", 1, "Main abstract; a newline separates paragraphs")             \
	X(ANNOTE, RICH, "annote", 1, "Reader's annotation")                                           \
	X(NOTE, RICH, "note", 1, "Free-form note")                                                    \
	X(ARCHIVE, TEXT, "archive", 1, "Archive holding the item")                                    \
	X(ARCHIVE_COLLECTION, TEXT, "archive_collection", 1, "Collection within the archive")        \
	X(ARCHIVE_LOCATION, TEXT, "archive_location", 1, "Location within the archive")              \
	X(ARCHIVE_PLACE, TEXT, "archive-place", 1, "Place of the archive")                            \
	X(AUTHORITY, TEXT, "authority", 1, "Issuing or judicial authority")                          \
	X(CALL_NUMBER, TEXT, "call-number", 1, "Library call number")                                 \
	X(CITATION_LABEL, TEXT, "citation-label", 1, "Label of the item in a reference list, e.g. \"12\"") \
	X(DIMENSIONS, TEXT, "dimensions", 1, "Physical or temporal size")                             \
	X(DIVISION, TEXT, "division", 1, "Minor geographic or organisational division")              \
	X(DOI, TEXT, "DOI", 1, "Digital Object Identifier, bare form 10.x/y")                        \
	X(EVENT_PLACE, TEXT, "event-place", 1, "Place of the event")                                  \
	X(GENRE, TEXT, "genre", 1, "Type or subtype in words, e.g. \"PhD thesis\", \"research-article\"") \
	X(ISBN, TEXT, "ISBN", 1, "International Standard Book Number")                                \
	X(ISSN, TEXT, "ISSN", 1, "ISSN of the print edition, or of unknown medium")                  \
	X(JURISDICTION, TEXT, "jurisdiction", 1, "Jurisdiction of a legal item")                      \
	X(KEYWORD, TEXT, "keyword", 1, "Alias of keywords: setting it adds its ';'- or ','-separated words there; never holds a value itself")                  \
	X(MEDIUM, TEXT, "medium", 1, "Medium or format description")                                 \
	X(ORIGINAL_PUBLISHER, TEXT, "original-publisher", 1, "Publisher of the original version")    \
	X(ORIGINAL_PUBLISHER_PLACE, TEXT, "original-publisher-place", 1, "Place of the original publisher") \
	X(PMCID, TEXT, "PMCID", 1, "PubMed Central identifier, with the PMC prefix")                  \
	X(PMID, TEXT, "PMID", 1, "PubMed identifier")                                                 \
	X(PUBLISHER, TEXT, "publisher", 1, "Publisher")                                               \
	X(PUBLISHER_PLACE, TEXT, "publisher-place", 1, "Place of the publisher")                      \
	X(REFERENCES, TEXT, "references", 1, "Text of references or notes about them")               \
	X(REVIEWED_GENRE, TEXT, "reviewed-genre", 1, "Type of the reviewed work")                     \
	X(SCALE, TEXT, "scale", 1, "Scale of a map")                                                  \
	X(SECTION, TEXT, "section", 1, "Section of the container, e.g. a journal's section heading") \
	X(SOURCE, TEXT, "source", 1, "Where the metadata came from (database, catalogue)")           \
	X(STATUS, TEXT, "status", 1, "Publication status, e.g. \"forthcoming\"")                      \
	X(URL, TEXT, "URL", 1, "URL of the item")                                                     \
	X(VERSION, TEXT, "version", 1, "Version of the item")                                         \
	X(YEAR_SUFFIX, TEXT, "year-suffix", 1, "Disambiguating year suffix")                         \
	X(CHAPTER_NUMBER, NUMBER, "chapter-number", 1, "Chapter number")                              \
	X(CITATION_NUMBER, NUMBER, "citation-number", 1, "Position in a reference list")             \
	X(COLLECTION_NUMBER, NUMBER, "collection-number", 1, "Number within the series")             \
	X(EDITION, NUMBER, "edition", 1, "Edition")                                                   \
	X(FIRST_REFERENCE_NOTE_NUMBER, NUMBER, "first-reference-note-number", 1, "Note of the first citation") \
	X(ISSUE, NUMBER, "issue", 1, "Issue number")                                                  \
	X(LOCATOR, NUMBER, "locator", 1, "Cited locator (page, section...)")                          \
	X(NUMBER, NUMBER, "number", 1, "Number of the item: report, patent, bill, standard...")      \
	X(NUMBER_OF_PAGES, NUMBER, "number-of-pages", 1, "Total number of pages")                     \
	X(NUMBER_OF_VOLUMES, NUMBER, "number-of-volumes", 1, "Total number of volumes")               \
	X(PAGE, NUMBER, "page", 1, "Page range or single page, as written (\"112-124\")")            \
	X(PAGE_FIRST, NUMBER, "page-first", 1, "First page")                                          \
	X(PART_NUMBER, NUMBER, "part", 1, "Part number")                                              \
	X(PRINTING, NUMBER, "printing", 1, "Printing number")                                         \
	X(SUPPLEMENT, NUMBER, "supplement", 1, "Supplement number")                                   \
	X(VOLUME, NUMBER, "volume", 1, "Volume")                                                      \
	X(ACCESSED, DATE, "accessed", 1, "Date the item was accessed")                                \
	X(AVAILABLE_DATE, DATE, "available-date", 1, "Date the item became available")               \
	X(EVENT_DATE, DATE, "event-date", 1, "Date of the event")                                     \
	X(ISSUED, DATE, "issued", 1, "Date of publication")                                           \
	X(ORIGINAL_DATE, DATE, "original-date", 1, "Publication date of the original version")       \
	X(SUBMITTED, DATE, "submitted", 1, "Date the item was submitted")                            \
	X(AUTHOR, NAMES, "author", 1, "Authors")                                                      \
	X(CHAIR, NAMES, "chair", 1, "Chairs of an event or session")                                  \
	X(COLLECTION_EDITOR, NAMES, "collection-editor", 1, "Editors of the series")                  \
	X(COMPILER, NAMES, "compiler", 1, "Compilers")                                                \
	X(COMPOSER, NAMES, "composer", 1, "Composers")                                                \
	X(CONTAINER_AUTHOR, NAMES, "container-author", 1, "Authors of the container")                \
	X(CONTRIBUTOR, NAMES, "contributor", 1, "Other contributors")                                 \
	X(CURATOR, NAMES, "curator", 1, "Curators")                                                   \
	X(DIRECTOR, NAMES, "director", 1, "Directors")                                                \
	X(EDITOR, NAMES, "editor", 1, "Editors")                                                      \
	X(EDITORIAL_DIRECTOR, NAMES, "editorial-director", 1, "Editorial directors")                 \
	X(EXECUTIVE_PRODUCER, NAMES, "executive-producer", 1, "Executive producers")                 \
	X(GUEST, NAMES, "guest", 1, "Guests")                                                         \
	X(HOST, NAMES, "host", 1, "Hosts")                                                            \
	X(INTERVIEWER, NAMES, "interviewer", 1, "Interviewers")                                       \
	X(ILLUSTRATOR, NAMES, "illustrator", 1, "Illustrators")                                       \
	X(NARRATOR, NAMES, "narrator", 1, "Narrators")                                                \
	X(ORGANIZER, NAMES, "organizer", 1, "Organizers")                                             \
	X(ORIGINAL_AUTHOR, NAMES, "original-author", 1, "Authors of the original version")           \
	X(PERFORMER, NAMES, "performer", 1, "Performers")                                             \
	X(PRODUCER, NAMES, "producer", 1, "Producers")                                                \
	X(RECIPIENT, NAMES, "recipient", 1, "Recipients of a letter or message")                     \
	X(REVIEWED_AUTHOR, NAMES, "reviewed-author", 1, "Authors of the reviewed work")              \
	X(SCRIPT_WRITER, NAMES, "script-writer", 1, "Script writers")                                 \
	X(SERIES_CREATOR, NAMES, "series-creator", 1, "Creators of the series")                      \
	X(TRANSLATOR, NAMES, "translator", 1, "Translators")                                          \
	X(SUBTITLE, RICH, "subtitle", 0, "Subtitle, when the source keeps it apart from the title")  \
	X(TRANSLATED_TITLES, RICH_LIST, "translated-titles", 0, "Translations of the title; lang set") \
	X(ALTERNATIVE_TITLES, RICH_LIST, "alternative-titles", 0, "Other titles of the item; type says which") \
	X(CONTAINER_ALTERNATIVE_TITLES, RICH_LIST, "container-alternative-titles", 0, "Other titles of the container; type says which") \
	X(ABSTRACTS, RICH_LIST, "abstracts", 0, "Abstracts beyond the main one; lang and type set")  \
	X(KEYWORDS, LIST, "keywords", 0, "Keywords one by one; lang, type (group type) and scheme (vocabulary)") \
	X(SUBJECTS, LIST, "subjects", 0, "Subject headings; type \"heading\" is the journal section") \
	X(ISSN_ELECTRONIC, TEXT, "issn-electronic", 0, "ISSN of the electronic edition")             \
	X(ARXIV, TEXT, "arxiv", 0, "arXiv identifier, e.g. 2101.00001 or hep-th/9901001")            \
	X(IDENTIFIERS, LIST, "identifiers", 0, "Other identifiers of the item; type names the scheme (publisher-id, pii, handle, urn, oai...)") \
	X(CONTAINER_IDENTIFIERS, LIST, "container-identifiers", 0, "Identifiers of the container, e.g. journal ids; type names the scheme") \
	X(LINKS, LIST, "links", 0, "Other URLs of the item; type says what they lead to (pdf, fulltext, landing...)") \
	X(ARTICLE_NUMBER, NUMBER, "article-number", 0, "Article number or electronic location id (elocation-id)") \
	X(LICENSE_URL, TEXT, "license-url", 0, "URL of the licence")                                 \
	X(LICENSE, RICH, "license", 0, "Text of the licence")                                        \
	X(COPYRIGHT, RICH, "copyright", 0, "Copyright statement")                                     \
	X(COPYRIGHT_HOLDER, TEXT, "copyright-holder", 0, "Copyright holder")                          \
	X(COPYRIGHT_YEAR, NUMBER, "copyright-year", 0, "Copyright year")                              \
	X(FUNDING, FUNDING, "funding", 0, "Funding sources and awards")                               \
	X(FUNDING_STATEMENT, RICH, "funding-statement", 0, "Funding statement as written")            \
	X(AFFILIATIONS, AFFILIATIONS, "affiliations", 0, "Affiliations referenced by the names' affiliation ids") \
	X(RECEIVED, DATE, "received", 0, "Date the manuscript was received")                          \
	X(REVISED, DATE, "revised", 0, "Date a revision was received")                                \
	X(ACCEPTED, DATE, "accepted", 0, "Date the manuscript was accepted")                          \
	X(PUBLISHED_ONLINE, DATE, "published-online", 0, "Date of electronic publication")            \
	X(PUBLISHED_PRINT, DATE, "published-print", 0, "Date of print publication")                   \
	X(ORIGINAL_CITATION, RICH, "original-citation", 0, "A reference's unstructured citation text as the source wrote it") \
	X(RELATED, LIST, "related", 0, "Related items by identifier; type is the relation, scheme the id type") \
	X(ISSUE_TITLE, RICH, "issue-title", 0, "Title of a journal issue")                            \
	X(REFERENCE_LIST, RECORDS, "reference-list", 0, "The item's reference list as child records") \
	X(TITLE_ADDON, RICH, "title-addon", 0, "Annex to the title, printed after it (BibLaTeX titleaddon)") \
	X(CONTAINER_SUBTITLE, RICH, "container-subtitle", 0, "Subtitle of the container, kept apart from container-title") \
	X(CONTAINER_TITLE_ADDON, RICH, "container-title-addon", 0, "Annex to the container title (BibLaTeX booktitleaddon, journaltitleaddon)") \
	X(VOLUME_SUBTITLE, RICH, "volume-subtitle", 0, "Subtitle of the volume within a multi-volume work") \
	X(VOLUME_TITLE_ADDON, RICH, "volume-title-addon", 0, "Annex to the volume title") \
	X(ARTICLE_TYPE, TEXT, "article-type", 0, "The source's own type word (JATS article-type or publication-type); chooses the item type, never printed as a genre")

/** Field identifiers. CW_FIELD_NONE is never a field. */
enum cw_field {
	CW_FIELD_NONE = 0,
#define CW_X_(id, kind, name, csl, doc) CW_FIELD_##id,
	CW_FIELDS(CW_X_)
#undef CW_X_
	CW_FIELD_COUNT_ /**< one past the last field of this version of the headers */
};

/* X(ID, "csl-name") */
#define CW_ITEM_TYPES(X)                                                      \
	X(ARTICLE, "article")                                                     \
	X(ARTICLE_JOURNAL, "article-journal")                                     \
	X(ARTICLE_MAGAZINE, "article-magazine")                                   \
	X(ARTICLE_NEWSPAPER, "article-newspaper")                                 \
	X(BILL, "bill")                                                           \
	X(BOOK, "book")                                                           \
	X(BROADCAST, "broadcast")                                                 \
	X(CHAPTER, "chapter")                                                     \
	X(CLASSIC, "classic")                                                     \
	X(COLLECTION, "collection")                                               \
	X(DATASET, "dataset")                                                     \
	X(DOCUMENT, "document")                                                   \
	X(ENTRY, "entry")                                                         \
	X(ENTRY_DICTIONARY, "entry-dictionary")                                   \
	X(ENTRY_ENCYCLOPEDIA, "entry-encyclopedia")                               \
	X(EVENT, "event")                                                         \
	X(FIGURE, "figure")                                                       \
	X(GRAPHIC, "graphic")                                                     \
	X(HEARING, "hearing")                                                     \
	X(INTERVIEW, "interview")                                                 \
	X(LEGAL_CASE, "legal_case")                                               \
	X(LEGISLATION, "legislation")                                             \
	X(MANUSCRIPT, "manuscript")                                               \
	X(MAP, "map")                                                             \
	X(MOTION_PICTURE, "motion_picture")                                       \
	X(MUSICAL_SCORE, "musical_score")                                         \
	X(PAMPHLET, "pamphlet")                                                   \
	X(PAPER_CONFERENCE, "paper-conference")                                   \
	X(PATENT, "patent")                                                       \
	X(PERFORMANCE, "performance")                                             \
	X(PERIODICAL, "periodical")                                               \
	X(PERSONAL_COMMUNICATION, "personal_communication")                       \
	X(POST, "post")                                                           \
	X(POST_WEBLOG, "post-weblog")                                             \
	X(REGULATION, "regulation")                                               \
	X(REPORT, "report")                                                       \
	X(REVIEW, "review")                                                       \
	X(REVIEW_BOOK, "review-book")                                             \
	X(SOFTWARE, "software")                                                   \
	X(SONG, "song")                                                           \
	X(SPEECH, "speech")                                                       \
	X(STANDARD, "standard")                                                   \
	X(THESIS, "thesis")                                                       \
	X(TREATY, "treaty")                                                       \
	X(WEBPAGE, "webpage")

/** CSL 1.0.2 item types. CW_TYPE_UNSET: the source gave no type. */
enum cw_item_type {
	CW_TYPE_UNSET = 0,
#define CW_X_(id, name) CW_TYPE_##id,
	CW_ITEM_TYPES(CW_X_)
#undef CW_X_
	CW_TYPE_COUNT_
};

/** Stable name of a field ("container-title"); NULL for an unknown id. */
CW_API const char *cw_field_name(enum cw_field f);
/** The field's kind; CW_KIND_NONE for an unknown id. */
CW_API enum cw_kind cw_field_kind(enum cw_field f);
/** One-line meaning of the field; NULL for an unknown id. */
CW_API const char *cw_field_doc(enum cw_field f);
/** 1 if the field is a CSL 1.0.2 variable, 0 if it is a crosswalk extension. */
CW_API int cw_field_is_csl(enum cw_field f);
/**
 * The field with this exact name among the first `known` field ids, or
 * CW_FIELD_NONE. Pass CW_FIELD_COUNT_ (cw_field_from_name does), so that a
 * name from input or a table never gives an id beyond the arrays you size
 * with it. Since ABI 1.3.
 */
CW_API enum cw_field cw_field_from_name_known(const char *name, size_t len, int known);
/*
 * cw_field_from_name(name, len) is cw_field_from_name_known(name, len,
 * CW_FIELD_COUNT_); the exported function of that name serves plugins
 * built against the headers before ABI 1.3 (it knows the fields of ABI 1.2).
 */
#define cw_field_from_name(name, len) cw_field_from_name_known((name), (len), CW_FIELD_COUNT_)
/** Number of fields this library knows (may exceed CW_FIELD_COUNT_ of older headers). */
CW_API int cw_field_count(void);
/** Name of a kind ("rich text", ...). */
CW_API const char *cw_kind_name(enum cw_kind k);

/** CSL name of an item type ("article-journal"); NULL for CW_TYPE_UNSET or unknown. */
CW_API const char *cw_item_type_name(enum cw_item_type t);
/**
 * The item type with this CSL name among the first `known` types, or
 * CW_TYPE_UNSET; pass CW_TYPE_COUNT_ (cw_item_type_from_name does). Since
 * ABI 1.3.
 */
CW_API enum cw_item_type cw_item_type_from_name_known(const char *name, size_t len, int known);
/* cw_item_type_from_name(name, len): as cw_field_from_name above. */
#define cw_item_type_from_name(name, len)                                                          \
	cw_item_type_from_name_known((name), (len), CW_TYPE_COUNT_)

#ifdef __cplusplus
}
#endif
#endif
