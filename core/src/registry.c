/*
 * Plugin loading (dlopen, ABI checks, refusal messages) and format lookup
 * by name, extension and content probe.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build_config.h"
#include "internal.h"
#include "xwalk.h"

enum { REGISTRY_MAGIC = 0x43575247 };

typedef struct loaded {
	const cw_plugin *plugin;
	void *handle; /* NULL for static plugins */
	char *origin;
} loaded;

typedef struct entry {
	const void *desc; /* cw_format or cw_filter */
	size_t plugin;
	int shadowed;
	/* a format's embedded crosswalk table, parsed and checked on first use:
	 * sessions of any thread may ask, the first to finish publishes it */
	_Atomic(cw_table *) table;
} entry;

struct cw_registry {
	uint32_t magic;
	loaded *plugins;
	size_t n, cap;
	entry *formats;
	size_t nformats, capformats;
	entry *filters;
	size_t nfilters, capfilters;
	/* the core's own table (the citations table), cached as a format's is;
	 * allocated apart, as the formats are, since users hold a const registry */
	_Atomic(cw_table *) *core_table;
};

/* Sizes of the ABI 1.0 structs: the least a plugin must provide. */
#define V10_PLUGIN (offsetof(cw_plugin, filters) + sizeof(void *))
#define V10_FORMAT (offsetof(cw_format, writer) + sizeof(void *))
#define V10_READER (offsetof(cw_reader_ops, close) + sizeof(void *))
#define V10_WRITER (offsetof(cw_writer_ops, close) + sizeof(void *))
#define V10_FILTER (offsetof(cw_filter, close) + sizeof(void *))
/* A format descriptor that has ABI 1.3's table member. */
#define V13_FORMAT (offsetof(cw_format, table) + sizeof(void *))

static const cw_table_schema *format_schema(const cw_format *f)
{
	return f->struct_size >= V13_FORMAT ? f->table : NULL;
}
#define V10_OPTION_SPEC (offsetof(cw_option_spec, help) + sizeof(void *))
/* ABI 1.3 added the plugin's option_spec_size */
#define V13_PLUGIN (offsetof(cw_plugin, option_spec_size) + sizeof(uint32_t))

/*
 * The arrays of plugins before ABI 1.3 have the 1.0 layout, which is still
 * the layout: when cw_option_spec grows, the registry must copy the arrays
 * of plugins with a smaller option_spec_size into the new layout before any
 * host walks them (cw_option_spec_next steps by the library's size).
 */
_Static_assert(sizeof(cw_option_spec) == V10_OPTION_SPEC,
               "cw_option_spec grew: convert the arrays of older plugins in check_descriptor");

/* More options than this in one array is a missing terminator. */
enum { MAX_OPTIONS = 1024 };

int cw_registry_new(cw_registry **out)
{
	if (!out)
		return CW_EINVAL;
	cw_registry *r = calloc(1, sizeof *r);
	*out = r;
	if (!r)
		return CW_ENOMEM;
	r->core_table = calloc(1, sizeof *r->core_table);
	if (!r->core_table) {
		free(r);
		*out = NULL;
		return CW_ENOMEM;
	}
	r->magic = REGISTRY_MAGIC;
	return CW_OK;
}

void cw_registry_free(cw_registry *r)
{
	if (!r || r->magic != REGISTRY_MAGIC)
		return;
	for (size_t i = 0; i < r->n; i++) {
#ifndef CW_KEEP_PLUGINS_LOADED
		if (r->plugins[i].handle)
			dlclose(r->plugins[i].handle);
#endif
		free(r->plugins[i].origin);
	}
	free(r->plugins);
	for (size_t i = 0; i < r->nformats; i++)
		cw_table_free(atomic_load(&r->formats[i].table));
	if (r->core_table)
		cw_table_free(atomic_load(r->core_table));
	free(r->core_table);
	free(r->formats);
	free(r->filters);
	r->magic = 0;
	free(r);
}

const char *cw_registry_install_dir(void)
{
	return CW_INSTALL_PLUGIN_DIR;
}

static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int refuse(cw_buf *err, int code, const char *origin, const char *fmt, ...)
    CW_PRINTF(4, 5);

/* Appends "origin: message" as one line of err and returns code. */
static int refuse(cw_buf *err, int code, const char *origin, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cw__buf_linev(err, origin, fmt, ap);
	va_end(ap);
	return code;
}

const cw_option_spec *cw_option_spec_next(const cw_option_spec *spec)
{
	return spec && spec->name ? spec + 1 : NULL;
}

/* A filter descriptor that has ABI 1.4's flags member. */
#define V14_FILTER (offsetof(cw_filter, flags) + sizeof(uint32_t))

uint32_t cw_filter_flags(const cw_filter *f)
{
	return f && f->struct_size >= V14_FILTER ? f->flags : 0;
}

/* Checks an option array the host will walk: names, types, a terminator. */
static int check_options(const cw_option_spec *spec, const char *origin, const char *kind,
                         const char *owner, cw_buf *err)
{
	size_t n = 0;
	for (const cw_option_spec *o = spec; o && o->name; o = cw_option_spec_next(o)) {
		if (++n > MAX_OPTIONS)
			return refuse(err, CW_EABI, origin,
			              "%s %s has more than %d options (no terminator?)", kind, owner,
			              MAX_OPTIONS);
		if (!valid_name(o->name) || (unsigned)o->type > CW_OPT_ENUM)
			return refuse(err, CW_EABI, origin,
			              "%s %s: option %zu has no valid name or an unknown type", kind,
			              owner, n);
	}
	return CW_OK;
}

/* Checks everything the host will read from the descriptor. */
static int check_descriptor(const cw_plugin *p, const char *origin, cw_buf *err)
{
	if (!p)
		return refuse(err, CW_EABI, origin, "%s", "cw_plugin_entry returned NULL");
	uint32_t major = p->abi_version >> 16, minor = p->abi_version & 0xFFFF;
	if (major != CW_ABI_MAJOR || minor > CW_ABI_MINOR)
		return refuse(err, CW_EABI, origin,
		              "plugin built for crosswalk ABI %u.%u, this crosswalk provides ABI "
		              "%u.%u; rebuild the plugin or upgrade crosswalk",
		              major, minor, (unsigned)CW_ABI_MAJOR, (unsigned)CW_ABI_MINOR);
	if (p->struct_size < (minor >= 3 ? V13_PLUGIN : V10_PLUGIN))
		return refuse(err, CW_EABI, origin, "%s", "corrupt plugin descriptor (struct_size too small)");
	/* before 1.3 the arrays have the 1.0 layout; from 1.3 the plugin says */
	if (minor >= 3 && (p->option_spec_size < V10_OPTION_SPEC ||
	                   p->option_spec_size > sizeof(cw_option_spec)))
		return refuse(err, CW_EABI, origin,
		              "plugin descriptor of ABI %u.%u has option_spec_size %u, not %zu (start "
		              "it with CW_PLUGIN_HEADER)",
		              major, minor, (unsigned)p->option_spec_size, sizeof(cw_option_spec));
	if (!valid_name(p->name))
		return refuse(err, CW_EABI, origin, "%s", "plugin descriptor has no valid name");
	size_t nf = 0;
	for (const cw_format *const *f = p->formats; f && *f; f++, nf++) {
		const cw_format *fmt = *f;
		if (fmt->struct_size < V10_FORMAT || !valid_name(fmt->name))
			return refuse(err, CW_EABI, origin, "%s", "corrupt format descriptor");
		if ((fmt->caps & CW_CAN_READ) &&
		    (!fmt->reader || fmt->reader->struct_size < V10_READER || !fmt->reader->open ||
		     !fmt->reader->next || !fmt->reader->close))
			return refuse(err, CW_EABI, origin, "format %s claims to read but has no complete reader",
			              fmt->name);
		if ((fmt->caps & CW_CAN_WRITE) &&
		    (!fmt->writer || fmt->writer->struct_size < V10_WRITER || !fmt->writer->begin ||
		     !fmt->writer->write || !fmt->writer->end || !fmt->writer->close))
			return refuse(err, CW_EABI, origin, "format %s claims to write but has no complete writer",
			              fmt->name);
		cw_buf why = CW_BUF_INIT;
		if (format_schema(fmt) &&
		    cw_table_schema_check(format_schema(fmt), &why) != CW_OK) {
			refuse(err, CW_EABI, origin, "format %s: %s", fmt->name, cw_buf_str(&why));
			cw_buf_free(&why);
			return CW_EABI;
		}
		int rc = (fmt->caps & CW_CAN_READ)
		             ? check_options(fmt->reader_options, origin, "reader", fmt->name, err)
		             : CW_OK;
		if (!rc && (fmt->caps & CW_CAN_WRITE))
			rc = check_options(fmt->writer_options, origin, "writer", fmt->name, err);
		if (rc)
			return rc;
	}
	for (const cw_filter *const *f = p->filters; f && *f; f++, nf++) {
		const cw_filter *fl = *f;
		if (fl->struct_size < V10_FILTER || !valid_name(fl->name) || !fl->apply)
			return refuse(err, CW_EABI, origin, "%s", "corrupt filter descriptor");
		int rc = check_options(fl->options, origin, "filter", fl->name, err);
		if (rc)
			return rc;
	}
	if (nf == 0)
		return refuse(err, CW_EABI, origin, "%s", "plugin provides no format and no filter");
	return CW_OK;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t c = *cap ? *cap * 2 : 8;
	void *q = realloc(p, c * size);
	if (q)
		*cap = c;
	return q;
}

static int add_entry(entry **arr, size_t *n, size_t *cap, const void *desc, size_t plugin,
                     int shadowed)
{
	entry *e = grow(*arr, cap, *n, sizeof *e);
	if (!e)
		return CW_ENOMEM;
	*arr = e;
	e[*n].desc = desc;
	e[*n].plugin = plugin;
	e[*n].shadowed = shadowed;
	atomic_init(&e[*n].table, NULL);
	(*n)++;
	return CW_OK;
}

static int add_plugin(cw_registry *r, const cw_plugin *p, void *handle, const char *origin)
{
	loaded *l = grow(r->plugins, &r->cap, r->n, sizeof *l);
	if (!l)
		return CW_ENOMEM;
	r->plugins = l;
	size_t len = strlen(origin);
	char *o = malloc(len + 1);
	if (!o)
		return CW_ENOMEM;
	memcpy(o, origin, len + 1);
	size_t idx = r->n;
	for (const cw_format *const *f = p->formats; f && *f; f++) {
		int shadowed = cw_registry_find_format(r, (*f)->name) != NULL;
		if (add_entry(&r->formats, &r->nformats, &r->capformats, *f, idx, shadowed)) {
			free(o);
			return CW_ENOMEM;
		}
	}
	for (const cw_filter *const *f = p->filters; f && *f; f++) {
		int shadowed = cw_registry_find_filter(r, (*f)->name) != NULL;
		if (add_entry(&r->filters, &r->nfilters, &r->capfilters, *f, idx, shadowed)) {
			free(o);
			return CW_ENOMEM;
		}
	}
	r->plugins[idx].plugin = p;
	r->plugins[idx].handle = handle;
	r->plugins[idx].origin = o;
	r->n++;
	return CW_OK;
}

int cw_registry_add_static(cw_registry *r, cw_plugin_entry_fn *entry_fn, const char *origin,
                           cw_buf *err)
{
	if (!r || r->magic != REGISTRY_MAGIC || !entry_fn)
		return CW_EINVAL;
	if (!origin)
		origin = "(static)";
	const cw_plugin *p = entry_fn();
	int rc = check_descriptor(p, origin, err);
	return rc ? rc : add_plugin(r, p, NULL, origin);
}

int cw_registry_load_file(cw_registry *r, const char *path, cw_buf *err)
{
	if (!r || r->magic != REGISTRY_MAGIC || !path)
		return CW_EINVAL;
	/* a bare name would make dlopen search the library path: never do that */
	cw_buf full = CW_BUF_INIT;
	if (!strchr(path, '/'))
		cw_buf_append(&full, "./", 2);
	cw_buf_append(&full, path, CW_NUL);
	const char *p = cw_buf_str(&full);
	int rc = CW_OK;
	struct stat st;
	if (stat(p, &st) != 0) {
		rc = refuse(err, errno == ENOENT ? CW_ENOTFOUND : CW_EIO, path, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = refuse(err, CW_EIO, path, "%s", "not a regular file");
		goto out;
	}
	if (st.st_mode & S_IWOTH) {
		rc = refuse(err, CW_EIO, path, "%s", "refusing a world-writable plugin file");
		goto out;
	}
	void *h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		rc = refuse(err, CW_EABI, path, "cannot load: %s", e ? e : "dlopen failed");
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		if (r->plugins[i].handle == h) {
			/* the same file by another path (a directory on two search
			 * paths): dlopen handed back the loaded object; keep one */
			dlclose(h);
			goto out;
		}
	}
	void *sym = dlsym(h, "cw_plugin_entry");
	if (!sym) {
		dlclose(h);
		rc = refuse(err, CW_EABI, path, "%s",
		            "is not a crosswalk plugin (no symbol cw_plugin_entry)");
		goto out;
	}
	cw_plugin_entry_fn *fn;
	memcpy(&fn, &sym, sizeof fn);
	const cw_plugin *pl = fn();
	rc = check_descriptor(pl, path, err);
	if (rc == CW_OK)
		rc = add_plugin(r, pl, h, p);
	if (rc)
		dlclose(h);
out:
	cw_buf_free(&full);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cw_registry_load_dir(cw_registry *r, const char *dir, cw_buf *err)
{
	if (!r || r->magic != REGISTRY_MAGIC || !dir)
		return CW_EINVAL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = CW_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0 || de->d_name[0] == '.')
			continue;
		char **nn = grow(names, &cap, n, sizeof *nn);
		if (!nn) {
			rc = CW_ENOMEM;
			break;
		}
		names = nn;
		cw_buf path = CW_BUF_INIT;
		cw_buf_printf(&path, "%s/%s", dir, de->d_name);
		names[n++] = path.data;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	int loaded_count = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == CW_OK && names[i]) {
			int lr = cw_registry_load_file(r, names[i], err);
			if (lr == CW_OK)
				loaded_count++;
			else if (lr == CW_ENOMEM)
				rc = lr;
		}
		free(names[i]);
	}
	free(names);
	return rc ? rc : loaded_count;
}

int cw_registry_load_path(cw_registry *r, const char *list, cw_buf *err)
{
	if (!list)
		return 0;
	int total = 0;
	const char *p = list;
	while (*p) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		if (len) {
			cw_buf dir = CW_BUF_INIT;
			cw_buf_append(&dir, p, len);
			int rc = cw_registry_load_dir(r, cw_buf_str(&dir), err);
			cw_buf_free(&dir);
			if (rc < 0)
				return rc;
			total += rc;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	return total;
}

size_t cw_registry_plugin_count(const cw_registry *r)
{
	return r && r->magic == REGISTRY_MAGIC ? r->n : 0;
}

const cw_plugin *cw_registry_plugin(const cw_registry *r, size_t i, const char **origin)
{
	if (i >= cw_registry_plugin_count(r))
		return NULL;
	if (origin)
		*origin = r->plugins[i].origin;
	return r->plugins[i].plugin;
}

static int format_matches(const cw_format *f, const char *name)
{
	if (cw__ascii_casecmp(f->name, name) == 0)
		return 1;
	for (const char *const *a = f->aliases; a && *a; a++)
		if (cw__ascii_casecmp(*a, name) == 0)
			return 1;
	return 0;
}

const cw_format *cw_registry_find_format(const cw_registry *r, const char *name)
{
	if (!r || r->magic != REGISTRY_MAGIC || !name)
		return NULL;
	/* exact names first, so an alias never hides another format's name */
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_format *f = r->formats[i].desc;
		if (!r->formats[i].shadowed && cw__ascii_casecmp(f->name, name) == 0)
			return f;
	}
	for (size_t i = 0; i < r->nformats; i++)
		if (!r->formats[i].shadowed && format_matches(r->formats[i].desc, name))
			return r->formats[i].desc;
	return NULL;
}

const cw_filter *cw_registry_find_filter(const cw_registry *r, const char *name)
{
	if (!r || r->magic != REGISTRY_MAGIC || !name)
		return NULL;
	for (size_t i = 0; i < r->nfilters; i++) {
		const cw_filter *f = r->filters[i].desc;
		if (!r->filters[i].shadowed && strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

const cw_plugin *cw_registry_owner(const cw_registry *r, const void *desc)
{
	if (!r || r->magic != REGISTRY_MAGIC)
		return NULL;
	for (size_t i = 0; i < r->nformats; i++)
		if (r->formats[i].desc == desc)
			return r->plugins[r->formats[i].plugin].plugin;
	for (size_t i = 0; i < r->nfilters; i++)
		if (r->filters[i].desc == desc)
			return r->plugins[r->filters[i].plugin].plugin;
	return NULL;
}

int cw_registry_is_shadowed(const cw_registry *r, const cw_format *fmt)
{
	if (!r || r->magic != REGISTRY_MAGIC)
		return 0;
	for (size_t i = 0; i < r->nformats; i++)
		if (r->formats[i].desc == fmt)
			return r->formats[i].shadowed;
	return 0;
}

/* Length of the longest extension of f that filename ends with (".ext"). */
static size_t extension_match(const cw_format *f, const char *filename)
{
	if (!filename)
		return 0;
	const char *base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	size_t blen = strlen(base), best = 0;
	for (const char *const *e = f->extensions; e && *e; e++) {
		size_t elen = strlen(*e);
		if (elen + 1 < blen && base[blen - elen - 1] == '.' &&
		    cw__ascii_casecmp(base + blen - elen, *e) == 0 && elen > best)
			best = elen;
	}
	return best;
}

int cw_registry_detect_input(const cw_format **out, const cw_registry *r, cw_istream *in,
                             const char *filename, cw_buf *why)
{
	if (!out || !r || r->magic != REGISTRY_MAGIC || !in)
		return CW_EINVAL;
	*out = NULL;
	const char *data;
	size_t avail;
	int rc = cw_istream_peek(in, CW_PROBE_MAX, &data, &avail);
	if (rc)
		return rc;
	unsigned char head[CW_PROBE_MAX + CW_PROBE_PADDING];
	size_t n = avail < CW_PROBE_MAX ? avail : CW_PROBE_MAX;
	memcpy(head, data, n);
	memset(head + n, 0, CW_PROBE_PADDING);
	cw_probe_input pi = {sizeof pi, head, n, filename};

	int best = -1, second = -1;
	const cw_format *winner = NULL;
	int *scores = calloc(r->nformats ? r->nformats : 1, sizeof *scores);
	if (!scores)
		return CW_ENOMEM;
	/* the longest matching extension is worth CW_PROBE_EXTENSION, a shorter
	 * one a little less, so "x.dc.xml" says dc rather than any xml */
	size_t longest = 0;
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_format *f = r->formats[i].desc;
		size_t m = r->formats[i].shadowed || !(f->caps & CW_CAN_READ)
		               ? 0
		               : extension_match(f, filename);
		if (m > longest)
			longest = m;
	}
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_format *f = r->formats[i].desc;
		scores[i] = -1;
		if (r->formats[i].shadowed || !(f->caps & CW_CAN_READ))
			continue;
		int s = f->probe ? f->probe(&pi) : 0;
		if (s < 0)
			s = 0;
		if (s > CW_PROBE_CERTAIN)
			s = CW_PROBE_CERTAIN;
		size_t m = extension_match(f, filename);
		int ext = m == 0 ? 0 : m == longest ? CW_PROBE_EXTENSION : CW_PROBE_EXTENSION - 10;
		if (s < ext)
			s = ext;
		scores[i] = s;
		if (s > best) {
			second = best;
			best = s;
			winner = f;
		} else if (s > second) {
			second = s;
		}
	}
	if (best >= CW_PROBE_WEAK && best > second) {
		*out = winner;
		free(scores);
		return CW_OK;
	}
	rc = best >= CW_PROBE_WEAK ? CW_EAMBIGUOUS : CW_ENOTFOUND;
	if (why) {
		cw_buf_append(why, rc == CW_EAMBIGUOUS ? "ambiguous input format; candidates:"
		                                       : "cannot tell the input format; scores:",
		              CW_NUL);
		int any = 0;
		for (size_t i = 0; i < r->nformats; i++) {
			if (scores[i] < 0 || (rc == CW_EAMBIGUOUS && scores[i] != best) ||
			    (rc == CW_ENOTFOUND && scores[i] == 0))
				continue;
			const cw_format *f = r->formats[i].desc;
			cw_buf_printf(why, " %s (%d)", f->name, scores[i]);
			any = 1;
		}
		if (!any)
			cw_buf_append(why, " none of the loaded readers recognises it", CW_NUL);
	}
	free(scores);
	return rc;
}

int cw_registry_detect_output(const cw_format **out, const cw_registry *r, const char *filename,
                              cw_buf *why)
{
	if (!out || !r || r->magic != REGISTRY_MAGIC)
		return CW_EINVAL;
	*out = NULL;
	size_t best = 0;
	int ties = 0;
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_format *f = r->formats[i].desc;
		if (r->formats[i].shadowed || !(f->caps & CW_CAN_WRITE))
			continue;
		size_t m = extension_match(f, filename);
		if (m > best) {
			best = m;
			*out = f;
			ties = 1;
		} else if (m && m == best) {
			ties++;
		}
	}
	if (best && ties == 1)
		return CW_OK;
	*out = NULL;
	if (why) {
		if (!best) {
			cw_buf_printf(why, "cannot tell the output format from \"%s\"",
			              filename ? filename : "");
		} else {
			cw_buf_printf(why, "output format of \"%s\" is ambiguous; candidates:", filename);
			for (size_t i = 0; i < r->nformats; i++) {
				const cw_format *f = r->formats[i].desc;
				if (!r->formats[i].shadowed && (f->caps & CW_CAN_WRITE) &&
				    extension_match(f, filename) == best)
					cw_buf_printf(why, " %s", f->name);
			}
		}
	}
	return best ? CW_EAMBIGUOUS : CW_ENOTFOUND;
}

/* --- crosswalk tables --- */

int cw__registry_table(const cw_registry *r, const cw_table_schema *schema, const cw_table **out,
                       cw__table_errs *errs)
{
	*out = NULL;
	if (!r || r->magic != REGISTRY_MAGIC || !schema)
		return CW_ENOTFOUND;
	entry *e = NULL;
	for (size_t i = 0; i < r->nformats && !e; i++)
		if (format_schema(r->formats[i].desc) == schema)
			e = &r->formats[i];
	/* the registry is const to its users; its caches are not */
	_Atomic(cw_table *) *slot = e ? &e->table
	                         : cw__table_schema_is_core(schema) ? r->core_table
	                                                            : NULL;
	if (!slot)
		return CW_ENOTFOUND;
	cw_table *t = atomic_load_explicit(slot, memory_order_acquire);
	if (t) {
		*out = t;
		return CW_OK;
	}
	int rc = cw__table_embedded(&t, schema, errs);
	if (rc)
		return rc;
	/* another thread may have been quicker: keep its table */
	cw_table *none = NULL;
	if (!atomic_compare_exchange_strong_explicit(slot, &none, t, memory_order_acq_rel,
	                                             memory_order_acquire)) {
		cw_table_free(t);
		t = none;
	}
	*out = t;
	return CW_OK;
}

static void ignore_table_error(void *ud, const char *file, uint32_t line, uint32_t column,
                               const char *msg)
{
	(void)ud, (void)file, (void)line, (void)column, (void)msg;
}

int cw_registry_prepare_tables(const cw_registry *r)
{
	if (!r || r->magic != REGISTRY_MAGIC)
		return CW_EINVAL;
	/* a table that fails is reported by the session that asks for it */
	cw__table_errs errs = {.fn = ignore_table_error};
	const cw_table *t;
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_table_schema *sc = format_schema(r->formats[i].desc);
		if (sc && !r->formats[i].shadowed)
			(void)cw__registry_table(r, sc, &t, &errs);
	}
	for (const cw_table_schema *const *c = cw__core_schemas; *c; c++)
		(void)cw__registry_table(r, *c, &t, &errs);
	return CW_OK;
}

const cw_table_schema *cw__registry_schema(const cw_registry *r, const char *name, int *known,
                                           cw_buf *names)
{
	*known = 0;
	if (!r || r->magic != REGISTRY_MAGIC || !name)
		return NULL;
	const cw_table_schema *hit = NULL;
	/* the core's tables first: no plugin can take their names */
	for (const cw_table_schema *const *c = cw__core_schemas; *c; c++) {
		if (!*known && strcmp((*c)->name, name) == 0) {
			*known = 1;
			hit = *c;
		}
		if (names)
			cw_buf_printf(names, "%s%s", names->len ? "|" : "", (*c)->name);
	}
	for (size_t i = 0; i < r->nformats; i++) {
		const cw_format *f = r->formats[i].desc;
		if (r->formats[i].shadowed)
			continue;
		const cw_table_schema *sc = format_schema(f);
		/* a format without a schema (a plugin built for ABI 1.2 or older)
		 * may still have a table: its name is the best guess at it */
		const char *tname = sc ? sc->name : f->name;
		if (!hit && !*known && strcmp(tname, name) == 0) {
			*known = 1;
			hit = sc;
		}
		if (names) {
			size_t len = strlen(tname);
			int listed = 0;
			for (const char *p = cw_buf_str(names); *p && !listed;) {
				const char *bar = strchr(p, '|');
				size_t l = bar ? (size_t)(bar - p) : strlen(p);
				listed = l == len && memcmp(p, tname, len) == 0;
				p = bar ? bar + 1 : p + l;
			}
			if (!listed)
				cw_buf_printf(names, "%s%s", names->len ? "|" : "", tname);
		}
	}
	return hit;
}
