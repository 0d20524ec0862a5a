# A current ClickHouse over HTTP from the npm package chdb's libchdb.so (the engine as a library), for tests:
#   python3 chdb-server.py <libchdb.so> <data folder> <http port>
# The package's Node binding refuses SYSTEM START LISTEN HTTP (code 49); its command-line entry point runs
# clickhouse-local, which opens the HTTP interface in-process. A query that sleeps keeps the process alive:
# it runs until the test set-up stops this process by its pid.
import ctypes
import sys

lib_path, data, port = sys.argv[1:4]
lib = ctypes.CDLL(lib_path)
lib.chdb_query_cmdline.restype = ctypes.c_void_p
lib.chdb_query_cmdline.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
lib.chdb_result_error.restype = ctypes.c_char_p
lib.chdb_result_error.argtypes = [ctypes.c_void_p]

# sleepEachRow refuses more than 3 s a block: one row a block, a second a row, for ~30 years.
keep_alive = "SELECT sleepEachRow(1) FROM numbers(1000000000) SETTINGS max_block_size = 1 FORMAT Null"
args = [
    "clickhouse",
    f"--path={data}",
    f"--http_port={port}",
    "--listen_host=127.0.0.1",
    "--multiquery",
    f"--query=SYSTEM START LISTEN HTTP; {keep_alive}",
]
argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
result = lib.chdb_query_cmdline(len(args), argv)
error = lib.chdb_result_error(result) if result else b"no result"
sys.stderr.write(f"chdb: {(error or b'the query that keeps it alive ended').decode(errors='replace')}\n")
sys.exit(1)
