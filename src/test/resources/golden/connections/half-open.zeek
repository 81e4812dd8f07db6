#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1795433876.712175	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8080	tcp	-	7.869077	300	1000	RSTR	-	-	0	ShADadTr	11	2080	4	1204	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	half-open	closed	closed	0	0.043000	6	F	F	F	-	-
#close	XXXX-XX-XX-XX-XX-XX
