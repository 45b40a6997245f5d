#ifndef FLOTILLA_CCURL_SHIM_H
#define FLOTILLA_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
// one typed wrapper per argument type.

typedef size_t (*flotilla_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode flotilla_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_setopt_callback(CURL *handle, CURLoption option, flotilla_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode flotilla_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode flotilla_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Resume a transfer its read or write callback paused (`CURLPAUSE_CONT` is not importable).
static inline CURLcode flotilla_unpause(CURL *handle) {
    return curl_easy_pause(handle, CURLPAUSE_CONT);
}

static inline CURLMcode flotilla_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}
typedef int (*flotilla_curl_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp);

static inline CURLMcode flotilla_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode flotilla_multi_setopt_socket_callback(CURLM *handle, flotilla_curl_socket_callback value) {
    return curl_multi_setopt(handle, CURLMOPT_SOCKETFUNCTION, value);
}
#endif
