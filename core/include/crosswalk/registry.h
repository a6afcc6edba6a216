/*
 * crosswalk/registry.h - finding and loading plugins, and choosing formats.
 *
 * The registry never looks anywhere on its own: the host says which files
 * and directories to load, in its order of preference (the CLI uses:
 * --plugin files, CROSSWALK_PLUGIN_PATH, the build tree when it runs from
 * one, a relocated install beside the executable, then the install
 * directory). When two plugins provide the same
 * format name, the one loaded first wins and the other is listed as
 * shadowed. Once loading is done a registry is read-only and may be shared
 * between threads.
 */
#ifndef CROSSWALK_REGISTRY_H
#define CROSSWALK_REGISTRY_H

#include "common.h"
#include "io.h"
#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_registry cw_registry;

/** @param[out] out returns owned; free with cw_registry_free. */
CW_API int cw_registry_new(cw_registry **out);
/** Unloads every plugin. NULL is a no-op. */
CW_API void cw_registry_free(cw_registry *reg);

/**
 * Loads one plugin file (an absolute or relative path with a slash; never
 * searched). Refusals (not a plugin, wrong ABI, broken descriptor, dlopen
 * failure) return CW_EABI / CW_ENOTFOUND / CW_EIO with a one-line reason
 * appended to err (may be NULL).
 */
CW_API int cw_registry_load_file(cw_registry *reg, const char *path, cw_buf *err);
/**
 * Loads every "*.so" in dir, in name order. A file that is refused adds a
 * line to err and loading goes on. A missing directory is not an error.
 * Returns the number of plugins loaded, or a negative status.
 */
CW_API int cw_registry_load_dir(cw_registry *reg, const char *dir, cw_buf *err);
/** Loads each directory of a colon-separated list (CROSSWALK_PLUGIN_PATH). */
CW_API int cw_registry_load_path(cw_registry *reg, const char *path_list, cw_buf *err);
/** Registers a plugin linked into the program (tests, static builds). */
CW_API int cw_registry_add_static(cw_registry *reg, cw_plugin_entry_fn *entry, const char *origin,
                                  cw_buf *err);
/** The directory plugins are installed to (<libdir>/crosswalk/plugins). */
CW_API const char *cw_registry_install_dir(void);

/** Number of plugins loaded. */
CW_API size_t cw_registry_plugin_count(const cw_registry *reg);
/** The i-th plugin, and where it came from (file path or static origin). */
CW_API const cw_plugin *cw_registry_plugin(const cw_registry *reg, size_t i, const char **origin);

/**
 * Parses now every crosswalk table the registry keeps (each format's
 * embedded table and the core's), which otherwise happens on a stage's
 * first cw_session_table. For a host that forks a process per conversion
 * after loading its plugins once (crosswalk batch): the processes share the
 * parsed tables instead of each parsing them again. A table that does not
 * fit its schema is left unparsed, and the session that asks for it reports
 * why as before. Returns CW_OK, or CW_EINVAL without a registry. ABI 1.5.
 */
CW_API int cw_registry_prepare_tables(const cw_registry *reg);

/** The format with this name or alias (ASCII case-insensitive), or NULL. */
CW_API const cw_format *cw_registry_find_format(const cw_registry *reg, const char *name);
/** The filter with this name, or NULL. */
CW_API const cw_filter *cw_registry_find_filter(const cw_registry *reg, const char *name);
/** The plugin that provides a format or filter descriptor (for messages). */
CW_API const cw_plugin *cw_registry_owner(const cw_registry *reg, const void *format_or_filter);
/** 1 if this format was hidden by an earlier plugin with the same name. */
CW_API int cw_registry_is_shadowed(const cw_registry *reg, const cw_format *fmt);

/**
 * Picks the reader for an input: scores every readable format by its probe
 * on the first bytes of in (not consumed) and by the file name's extension
 * (the longest matching extension is worth CW_PROBE_EXTENSION, a shorter
 * one CW_PROBE_EXTENSION - 10). The best score wins. A tie at the top, or a
 * best score below CW_PROBE_WEAK, fails (CW_EAMBIGUOUS / CW_ENOTFOUND) with
 * the candidates and their scores appended to why.
 */
CW_API int cw_registry_detect_input(const cw_format **out, const cw_registry *reg, cw_istream *in,
                                    const char *filename, cw_buf *why);
/**
 * Picks the writer for an output file name by its extension (the longest
 * matching one, so "x.dc.xml" prefers "dc.xml" over "xml"). Fails with the
 * candidates in why when several formats share the best extension, or none
 * matches.
 */
CW_API int cw_registry_detect_output(const cw_format **out, const cw_registry *reg,
                                     const char *filename, cw_buf *why);

#ifdef __cplusplus
}
#endif
#endif
