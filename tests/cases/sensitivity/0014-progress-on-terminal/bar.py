# bar.py GCA ROOT - run gca sensitivity with a terminal as its standard
# output and error (a pseudo-terminal) and print what it wrote there.
import os
import pty
import sys

gca, root = sys.argv[1], sys.argv[2]
args = [gca, "sensitivity",
        "--data", root + "/tests/oracle/data/asem_iData.csv",
        "--meta", root + "/tests/oracle/data/asem_iMeta.csv",
        "--method", root + "/tests/cases/_inputs/asem_method.json",
        "--spec", root + "/tests/oracle/sensitivity/spec.json",
        "--type", "SA", "--n", "300", "--threads", "1", "--out", "out"]
pid, fd = pty.fork()
if pid == 0:
    os.execv(gca, args)
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
text = out.decode("utf-8", "replace")
last = text.replace("\r", "\n").strip().splitlines()[-1]
print("final line:", last)
