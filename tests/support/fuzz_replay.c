/*
 * Replays fuzz inputs without libFuzzer: each argument is a file or a
 * directory of files, fed one by one to LLVMFuzzerTestOneInput. Used by
 * ctest to rerun every regression input on each build.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
		return 1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int run_path(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz_replay: %s: not found\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return 1;
	int bad = 0;
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			size_t l = strlen(path) + strlen(names[i]->d_name) + 2;
			char *p = malloc(l);
			if (p) {
				snprintf(p, l, "%s/%s", path, names[i]->d_name);
				bad |= run_path(p, count);
				free(p);
			}
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= run_path(argv[i], &count);
	printf("fuzz_replay: %zu inputs replayed\n", count);
	return bad;
}
