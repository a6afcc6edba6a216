/*
 * crosswalk/plugin.h - the plugin ABI.
 *
 * A plugin is a shared object that exports one function,
 *
 *     const cw_plugin *cw_plugin_entry(void);
 *
 * returning a pointer to static const data. The host dlopen()s the file with
 * RTLD_NOW | RTLD_LOCAL, calls the entry, and checks abi_version and
 * struct_size before it reads anything else or calls any other function.
 * Define a plugin with CW_PLUGIN_DEFINE. See docs/plugin-guide.md.
 *
 * Frozen forever: the entry's name and signature, and the first two members
 * of struct cw_plugin. Everything else follows "major must match, minor may
 * be older": structs grow only at the end and every struct a plugin fills
 * starts with struct_size, so the host reads only what the plugin knows.
 */
#ifndef CROSSWALK_PLUGIN_H
#define CROSSWALK_PLUGIN_H

#include "common.h"
#include "io.h"
#include "record.h"
#include "session.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CW_ABI_MAJOR 1
#define CW_ABI_MINOR 5
#define CW_ABI_VERSION (((uint32_t)CW_ABI_MAJOR << 16) | (uint32_t)CW_ABI_MINOR)

/** What a format can do. */
enum cw_caps { CW_CAN_READ = 1u << 0, CW_CAN_WRITE = 1u << 1 };

/** Probe scores: what a probe has verified about the first bytes. */
enum cw_probe_score {
	CW_PROBE_NONE = 0,
	CW_PROBE_WEAK = 25,      /**< plausible */
	CW_PROBE_EXTENSION = 50, /**< what a matching file extension is worth */
	CW_PROBE_LIKELY = 80,    /**< a characteristic structure was seen */
	CW_PROBE_CERTAIN = 100   /**< a namespace, DOCTYPE or magic that only this format has */
};

#define CW_PROBE_MAX 4096
#define CW_PROBE_PADDING 16

/** What a probe sees. */
typedef struct cw_probe_input {
	uint32_t struct_size;
	const unsigned char *buf; /**< first bytes of the input; never NULL */
	size_t size;              /**< <= CW_PROBE_MAX; CW_PROBE_PADDING zero bytes follow */
	const char *filename;     /**< may be NULL (stdin) */
} cw_probe_input;

enum cw_option_type { CW_OPT_BOOL = 0, CW_OPT_STRING, CW_OPT_INT, CW_OPT_ENUM };

/**
 * One option a reader, writer or filter accepts. Arrays end with
 * {.name = NULL}. The struct grows only at its end; the plugin descriptor
 * says its size (cw_plugin.option_spec_size, set by CW_PLUGIN_HEADER), so
 * that a later host reads the arrays of a plugin built against these
 * headers. A host built apart from the library walks the arrays it finds
 * in descriptors with cw_option_spec_next, never with ++.
 */
typedef struct cw_option_spec {
	const char *name;          /**< [a-z0-9-]+, e.g. "ascii" */
	enum cw_option_type type;
	const char *default_value; /**< as text; NULL = unset */
	const char *choices;       /**< "a|b|c" for CW_OPT_ENUM, else NULL */
	const char *help;          /**< one line */
} cw_option_spec;

/**
 * The option after spec in an array of a descriptor the registry accepted:
 * NULL when spec is NULL or the terminator. Loop with
 * `for (o = fmt->reader_options; o && o->name; o = cw_option_spec_next(o))`:
 * the step is the library's, so a host built against these headers still
 * walks the arrays of a later library, whose cw_option_spec may be larger.
 * Since ABI 1.3.
 */
CW_API const cw_option_spec *cw_option_spec_next(const cw_option_spec *spec);

/**
 * Reader, pull style. The host allocates state_size zeroed bytes, calls open,
 * then next until it returns CW_EOF or a fatal error, then always close
 * (even when open failed).
 *
 * next returns:
 *   CW_OK      with *out set: the caller owns the record;
 *   CW_EOF     no more records;
 *   CW_ERECORD this record was unreadable, was reported with its location,
 *              and the reader has resynchronised: next may be called again;
 *   any other negative status: the stream is dead.
 */
typedef struct cw_reader_ops {
	uint32_t struct_size;
	size_t state_size;
	int (*open)(void *state, cw_session *s, cw_istream *in);
	int (*next)(void *state, cw_session *s, cw_record **out);
	void (*close)(void *state, cw_session *s);
} cw_reader_ops;

/**
 * Writer. begin, write for each record (borrowed), end to finish the
 * document, then always close. A writer reports each field it cannot carry
 * (cw_diag_not_carried / cw_diag_uncarried); the host applies --strict.
 */
typedef struct cw_writer_ops {
	uint32_t struct_size;
	size_t state_size;
	int (*begin)(void *state, cw_session *s, cw_ostream *out);
	int (*write)(void *state, cw_session *s, const cw_record *rec);
	int (*end)(void *state, cw_session *s);
	void (*close)(void *state, cw_session *s);
} cw_writer_ops;

/** One format a plugin reads and/or writes. */
typedef struct cw_format {
	uint32_t struct_size;
	const char *name;                 /**< unique, [a-z0-9-]+: "bibtex" */
	const char *description;          /**< "BibTeX" */
	const char *const *aliases;       /**< NULL-terminated or NULL */
	const char *const *extensions;    /**< without dot, may be compound ("dc.xml"); NULL-terminated */
	const char *const *mime_types;    /**< NULL-terminated or NULL */
	uint32_t caps;                    /**< enum cw_caps */
	int (*probe)(const cw_probe_input *in); /**< pure; 0..100; NULL = never claims content */
	const cw_option_spec *reader_options; /**< or NULL */
	const cw_option_spec *writer_options; /**< or NULL */
	const cw_reader_ops *reader;      /**< non-NULL iff caps has CW_CAN_READ */
	const cw_writer_ops *writer;      /**< non-NULL iff caps has CW_CAN_WRITE */
	/**
	 * ABI 1.3: the schema of the format's crosswalk table (table.h), or
	 * NULL. Formats of one plugin may share one. The host checks it when it
	 * loads the plugin, checks --crosswalk files that name it against it,
	 * and parses the embedded table once per registry.
	 */
	const cw_table_schema *table;
} cw_format;

/** Where a filter sends records. */
typedef struct cw_emit cw_emit;
/** Passes rec on to the next stage. @param rec consumed. */
CW_API int cw_emit_record(cw_emit *out, cw_record *rec);

/** What a filter can take (cw_filter.flags). Since ABI 1.4. */
enum cw_filter_flag {
	/**
	 * The filter replaces a record by its children, and takes them handed
	 * out apart as well: a reader whose records go to this filter first may
	 * send a record's children after it as records of their own, the record
	 * marked CW_CHILDREN_FOLLOW (cw_record_mark_children). The filter's
	 * output must be the same either way.
	 */
	CW_FILTER_TAKES_CHILDREN_APART = 1u << 0
};

/**
 * A filter sits between the reader and the writers. apply consumes rec: it
 * emits it (changed or not), frees it, or emits other records in its place.
 * finish runs once after the last record (may be NULL).
 */
typedef struct cw_filter {
	uint32_t struct_size;
	const char *name; /**< [a-z0-9-]+ */
	const char *description;
	const cw_option_spec *options;
	size_t state_size;
	int (*open)(void *state, cw_session *s);
	int (*apply)(void *state, cw_session *s, cw_record *rec, cw_emit *out);
	int (*finish)(void *state, cw_session *s, cw_emit *out);
	void (*close)(void *state, cw_session *s);
	/** ABI 1.4: enum cw_filter_flag bits; hosts and readers read it with cw_filter_flags */
	uint32_t flags;
} cw_filter;

/**
 * The flags of a filter (enum cw_filter_flag): 0 for NULL and for a filter
 * built against headers before ABI 1.4, whose descriptor ends before the
 * member. A reader asks `cw_filter_flags(cw_session_next_filter(s)) &
 * CW_FILTER_TAKES_CHILDREN_APART` in its next (filters are added after the
 * reader is opened). Since ABI 1.4.
 */
CW_API uint32_t cw_filter_flags(const cw_filter *filter);

/**
 * How the children of a record a reader hands to a filter with
 * CW_FILTER_TAKES_CHILDREN_APART travel. Since ABI 1.4.
 */
enum cw_children_mark {
	CW_CHILDREN_UNMARKED = 0, /**< no mark: a record of its own, or a child handed out apart */
	CW_CHILDREN_HERE = 1,     /**< the record's children are its own, as usual */
	/**
	 * The record's children follow it as the next records the reader hands
	 * out, unmarked, up to its next marked record (children it still holds
	 * come before them)
	 */
	CW_CHILDREN_FOLLOW = 2
};

/**
 * Marks rec for a filter with CW_FILTER_TAKES_CHILDREN_APART. A reader that
 * hands children out apart marks every record it hands out but the
 * children, HERE or FOLLOW; CW_CHILDREN_UNMARKED clears the mark (the
 * filter does, so that no later stage sees it). The mark lives in the
 * record, outside its fields: no writer sees it, cw_record_clone does not
 * copy it, and no input can forge it.
 * @return CW_OK, CW_EINVAL (no record, or another value). Since ABI 1.4.
 */
CW_API int cw_record_mark_children(cw_record *rec, enum cw_children_mark mark);
/** The mark of rec (CW_CHILDREN_UNMARKED for NULL). Since ABI 1.4. */
CW_API enum cw_children_mark cw_record_children_mark(const cw_record *rec);

/** The plugin descriptor returned by cw_plugin_entry. */
typedef struct cw_plugin {
	uint32_t abi_version; /**< CW_ABI_VERSION: frozen position */
	uint32_t struct_size; /**< sizeof(cw_plugin): frozen position */
	const char *name;     /**< "bibtex" */
	const char *version;  /**< the plugin's own version, "1.0.0" */
	const char *description;
	const char *license;            /**< SPDX id */
	const cw_format *const *formats; /**< NULL-terminated or NULL */
	const cw_filter *const *filters; /**< NULL-terminated or NULL */
	/** sizeof(cw_option_spec), the element size of every option array; ABI 1.3 */
	uint32_t option_spec_size;
} cw_plugin;

/** The members every descriptor must fill the same way: start cw_plugin with it. */
#define CW_PLUGIN_HEADER                                                                           \
	.abi_version = CW_ABI_VERSION, .struct_size = sizeof(cw_plugin),                           \
	.option_spec_size = sizeof(cw_option_spec)

/** The entry function's type. */
typedef const cw_plugin *cw_plugin_entry_fn(void);

/**
 * Defines the plugin's entry points: cw_plugin_<name>_entry always (for
 * static linking in tests and fuzzers), and cw_plugin_entry unless
 * CW_PLUGIN_STATIC is defined.
 */
#ifdef CW_PLUGIN_STATIC
#define CW_PLUGIN_DEFINE(name, desc)                                               \
	const cw_plugin *cw_plugin_##name##_entry(void);                           \
	const cw_plugin *cw_plugin_##name##_entry(void) { return &(desc); }
#else
#define CW_PLUGIN_DEFINE(name, desc)                                               \
	CW_PLUGIN_EXPORT const cw_plugin *cw_plugin_##name##_entry(void);          \
	CW_PLUGIN_EXPORT const cw_plugin *cw_plugin_##name##_entry(void) { return &(desc); } \
	CW_PLUGIN_EXPORT const cw_plugin *cw_plugin_entry(void);                   \
	CW_PLUGIN_EXPORT const cw_plugin *cw_plugin_entry(void) { return &(desc); }
#endif

#ifdef __cplusplus
}
#endif
#endif
