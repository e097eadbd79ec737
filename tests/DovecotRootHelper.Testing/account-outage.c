/* An account database outage on demand, for tests: LD_PRELOAD this and the lookups below fail the
 * way an unreachable LDAP server or a stopped sssd makes them fail, with an errno, for the names in
 * DRH_ACCOUNT_OUTAGE (comma-separated; "*" is every name and every uid). The errno is
 * DRH_ACCOUNT_OUTAGE_ERRNO (a number), EIO by default. Compiled by the tests at run time
 * (tests/DovecotRootHelper.Testing/AccountOutage.cs). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

static int everything(void)
{
    const char *list = getenv("DRH_ACCOUNT_OUTAGE");
    return list != NULL && strcmp(list, "*") == 0;
}

static int failing(const char *name)
{
    const char *list = getenv("DRH_ACCOUNT_OUTAGE");
    if (list == NULL || name == NULL)
        return 0;
    if (strcmp(list, "*") == 0)
        return 1;
    size_t length = strlen(name);
    for (const char *p = list; *p != '\0';) {
        const char *end = strchrnul(p, ',');
        if ((size_t)(end - p) == length && strncmp(p, name, length) == 0)
            return 1;
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

static int outage_errno(void)
{
    const char *value = getenv("DRH_ACCOUNT_OUTAGE_ERRNO");
    return value != NULL && atoi(value) > 0 ? atoi(value) : EIO;
}

struct passwd *getpwnam(const char *name)
{
    if (failing(name)) {
        errno = outage_errno();
        return NULL;
    }
    struct passwd *(*real)(const char *) = (struct passwd *(*)(const char *))dlsym(RTLD_NEXT, "getpwnam");
    return real(name);
}

int getpwnam_r(const char *name, struct passwd *entry, char *buffer, size_t length, struct passwd **result)
{
    if (failing(name)) {
        *result = NULL;
        return outage_errno();
    }
    int (*real)(const char *, struct passwd *, char *, size_t, struct passwd **) =
        (int (*)(const char *, struct passwd *, char *, size_t, struct passwd **))dlsym(RTLD_NEXT, "getpwnam_r");
    return real(name, entry, buffer, length, result);
}

struct passwd *getpwuid(uid_t uid)
{
    if (everything()) {
        errno = outage_errno();
        return NULL;
    }
    struct passwd *(*real)(uid_t) = (struct passwd *(*)(uid_t))dlsym(RTLD_NEXT, "getpwuid");
    return real(uid);
}

int getpwuid_r(uid_t uid, struct passwd *entry, char *buffer, size_t length, struct passwd **result)
{
    if (everything()) {
        *result = NULL;
        return outage_errno();
    }
    int (*real)(uid_t, struct passwd *, char *, size_t, struct passwd **) =
        (int (*)(uid_t, struct passwd *, char *, size_t, struct passwd **))dlsym(RTLD_NEXT, "getpwuid_r");
    return real(uid, entry, buffer, length, result);
}
