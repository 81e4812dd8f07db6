#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1795433874.396846	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8080	tcp	-	0.202127	100	1000	RSTR	-	-	0	ShADadr	4	316	4	1216	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	reset	closed	closed	0	0.037000	0	F	F	F	-	-
#close	XXXX-XX-XX-XX-XX-XX
