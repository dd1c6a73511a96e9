# scratch stub
